#include "diff/unified_diff.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/files.h"
#include "tests/support/temp_dir.h"

namespace archivist::diff {
namespace {

namespace fs = std::filesystem;

using test_support::ReadFile;
using test_support::WriteFile;

// Applies `patch_text` to `from` with the system's patch(1) and returns the result.
class PatchRunner {
 public:
  PatchRunner() : temp_("archivist_diff"), dir_(temp_.path()) {}

  std::string Apply(const std::string& from, const std::string& patch_text) {
    WriteFile(dir_ / "from.txt", from);
    WriteFile(dir_ / "p.diff", patch_text);
    fs::remove(dir_ / "out.txt");
    const std::string cmd = "patch -s -o '" + (dir_ / "out.txt").string() + "' '" +
                            (dir_ / "from.txt").string() + "' '" + (dir_ / "p.diff").string() +
                            "' >/dev/null 2>&1";
    status_ = std::system(cmd.c_str());
    return ReadFile(dir_ / "out.txt");
  }
  int status() const { return status_; }

 private:
  test_support::TempDir temp_;
  fs::path dir_;
  int status_ = -1;
};

// Minimal number of changed lines, by dynamic programming (small inputs only).
size_t MinimalEdits(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<size_t>> lcs(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      lcs[i][j] = a[i - 1] == b[j - 1] ? lcs[i - 1][j - 1] + 1
                                       : std::max(lcs[i - 1][j], lcs[i][j - 1]);
    }
  }
  return a.size() + b.size() - 2 * lcs[a.size()][b.size()];
}

size_t CountedEdits(const std::string& patch_text) {
  size_t n = 0;
  std::istringstream in(patch_text);
  std::string line;
  int header = 2;
  while (std::getline(in, line)) {
    if (header > 0) { --header; continue; }
    if (!line.empty() && (line[0] == '+' || line[0] == '-')) ++n;
  }
  return n;
}

std::string Join(const std::vector<std::string>& lines, bool final_newline) {
  std::string s;
  for (size_t i = 0; i < lines.size(); ++i) {
    s += lines[i];
    if (i + 1 < lines.size() || final_newline) s += '\n';
  }
  return s;
}

std::vector<std::string> RandomLines(std::mt19937& rng, int n, int alphabet) {
  std::vector<std::string> lines;
  for (int i = 0; i < n; ++i) lines.push_back("line " + std::to_string(rng() % alphabet));
  return lines;
}

std::vector<std::string> Mutate(std::mt19937& rng, std::vector<std::string> lines, int edits) {
  for (int e = 0; e < edits; ++e) {
    const size_t pos = lines.empty() ? 0 : rng() % (lines.size() + 1);
    switch (rng() % 3) {
      case 0: lines.insert(lines.begin() + pos, "new " + std::to_string(rng() % 50)); break;
      case 1: if (pos < lines.size()) lines.erase(lines.begin() + pos); break;
      default: if (pos < lines.size()) lines[pos] = "changed " + std::to_string(rng() % 50);
    }
  }
  return lines;
}

TEST(UnifiedDiffTest, EqualTextsGiveEmptyDiff) {
  EXPECT_EQ(UnifiedDiff("", ""), "");
  EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n"), "");
}

TEST(UnifiedDiffTest, ExactFormatWithContext) {
  const std::string from = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
  const std::string to = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n";
  EXPECT_EQ(UnifiedDiff(from, to, {"old.md", "new.md", 3, 2000}),
            "--- old.md\n+++ new.md\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(UnifiedDiffTest, DistantChangesMakeTwoHunksCloseOnesOne) {
  std::vector<std::string> a;
  for (int i = 1; i <= 30; ++i) a.push_back(std::to_string(i));
  std::vector<std::string> b = a;
  b[1] = "x";
  b[28] = "y";
  std::string d = UnifiedDiff(Join(a, true), Join(b, true));
  EXPECT_EQ(std::count(d.begin(), d.end(), '@'), 8);  // two hunks, four '@' each
  b = a;
  b[1] = "x";
  b[8] = "y";  // 6 unchanged lines between: contexts touch, one hunk
  d = UnifiedDiff(Join(a, true), Join(b, true));
  EXPECT_EQ(std::count(d.begin(), d.end(), '@'), 4);
}

TEST(UnifiedDiffTest, MissingFinalNewlineIsMarked) {
  EXPECT_EQ(UnifiedDiff("a\nb", "a\nb\n"),
            "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
  EXPECT_EQ(UnifiedDiff("", "x"), "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n\\ No newline at end of file\n");
}

TEST(UnifiedDiffTest, MinimalOnRandomSmallTexts) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    const auto a = RandomLines(rng, rng() % 25, 6);
    const auto b = Mutate(rng, a, rng() % 8);
    const std::string d = UnifiedDiff(Join(a, true), Join(b, true));
    EXPECT_EQ(CountedEdits(d), MinimalEdits(a, b)) << d;
  }
}

TEST(UnifiedDiffTest, PatchAppliesOnRandomTexts) {
  PatchRunner runner;
  std::mt19937 rng(42);
  for (int round = 0; round < 60; ++round) {
    const auto a = RandomLines(rng, rng() % 80, 10 + round);
    const auto b = Mutate(rng, a, 1 + rng() % 20);
    const std::string from = Join(a, rng() % 4 != 0), to = Join(b, rng() % 4 != 0);
    const std::string d = UnifiedDiff(from, to);
    if (from == to) {
      EXPECT_EQ(d, "");
      continue;
    }
    EXPECT_EQ(runner.Apply(from, d), to) << "round " << round << "\n" << d;
    EXPECT_EQ(runner.status(), 0);
  }
}

TEST(UnifiedDiffTest, CostBoundStillGivesACorrectPatch) {
  PatchRunner runner;
  std::mt19937 rng(3);
  const auto a = RandomLines(rng, 400, 1000);
  const auto b = Mutate(rng, a, 150);
  UnifiedDiffOptions tight;
  tight.max_cost = 4;
  const std::string d = UnifiedDiff(Join(a, true), Join(b, true), tight);
  EXPECT_GE(CountedEdits(d), MinimalEdits(a, b));
  EXPECT_EQ(runner.Apply(Join(a, true), d), Join(b, true));
}

TEST(UnifiedDiffTest, OneMegabyteRewriteIsBounded) {
  PatchRunner runner;
  std::mt19937 rng(11);
  std::vector<std::string> a, b;
  for (int i = 0; i < 20000; ++i) a.push_back("old paragraph " + std::to_string(rng()) + " text");
  for (int i = 0; i < 20000; ++i) b.push_back("new paragraph " + std::to_string(rng()) + " text");
  const std::string from = Join(a, true), to = Join(b, true);
  ASSERT_GT(from.size(), 500000u);
  const std::string d = UnifiedDiff(from, to);
  EXPECT_EQ(CountedEdits(d), 40000u);
  EXPECT_EQ(runner.Apply(from, d), to);
}

}  // namespace
}  // namespace archivist::diff
