// The word diff: character-exact marks in Chinese text, word marks elsewhere, hunks placed
// as the unified diff places them, line-level fallback above the size bound; edit sizes.
#include "diff/word_diff.h"

#include <gtest/gtest.h>

#include <string>

#include "diff/unified_diff.h"

namespace archivist::diff {
namespace {

// A segmenter that keeps "北京" and "南京" as words and cuts the rest per character.
std::vector<std::string> FakeJieba(std::string_view run) {
  std::vector<std::string> out;
  for (size_t i = 0; i < run.size();) {
    const std::string_view rest = run.substr(i);
    if (rest.starts_with("北京") || rest.starts_with("南京")) {
      out.emplace_back(rest.substr(0, 6));
      i += 6;
    } else {
      out.emplace_back(rest.substr(0, 3));
      i += 3;
    }
  }
  return out;
}

TEST(WordDiffTest, OneChineseCharacterIsMarkedAlone) {
  const std::string a = "第一段。\n我今天去了北京，天气很好。\n最后一段。\n";
  const std::string b = "第一段。\n我今天去了南京，天气很好。\n最后一段。\n";
  const std::string expected =
      "--- a\n+++ b\n@@ -1,3 +1,3 @@\n第一段。\n我今天去了[-北-]{+南+}京，天气很好。\n最后一段。\n";
  EXPECT_EQ(WordDiff(a, b), expected);
  WordDiffOptions with_words;
  with_words.segment = FakeJieba;
  EXPECT_EQ(WordDiff(a, b, with_words), expected);
}

TEST(WordDiffTest, LatinWordsAreMarkedWhole) {
  const std::string a = "the quick brown fox\njumps\n";
  const std::string b = "the quick red fox\njumps\n";
  EXPECT_EQ(WordDiff(a, b), "--- a\n+++ b\n@@ -1,2 +1,2 @@\nthe quick [-brown-]{+red+} fox\njumps\n");
}

TEST(WordDiffTest, InsertionsAndDeletionsOfWholeLines) {
  EXPECT_EQ(WordDiff("a\nb\n", "a\nnew line\nb\n"), "--- a\n+++ b\n@@ -1,2 +1,3 @@\na\n{+new line+}\nb\n");
  EXPECT_EQ(WordDiff("a\nold\nb\n", "a\nb\n"), "--- a\n+++ b\n@@ -1,3 +1,2 @@\na\n[-old-]\nb\n");
  EXPECT_EQ(WordDiff("same\n", "same\n"), "");
}

// Hunk headers are the unified diff's.
TEST(WordDiffTest, HunksAreTheUnifiedDiffs) {
  std::string a, b;
  for (int i = 0; i < 40; ++i) {
    a += "line " + std::to_string(i) + "\n";
    b += (i == 5 || i == 30 ? "changed " : "line ") + std::to_string(i) + "\n";
  }
  const std::string words = WordDiff(a, b), lines = UnifiedDiff(a, b);
  auto headers = [](const std::string& d) {
    std::string h;
    for (size_t p = d.find("@@"); p != std::string::npos; p = d.find("\n@@", p + 1)) {
      const size_t s = d[p] == '\n' ? p + 1 : p;
      h += d.substr(s, d.find('\n', s) - s) + "|";
    }
    return h;
  };
  EXPECT_EQ(headers(words), headers(lines));
  EXPECT_EQ(headers(words), "@@ -3,7 +3,7 @@|@@ -28,7 +28,7 @@|");
  EXPECT_NE(words.find("[-line-]{+changed+} 5\n"), std::string::npos) << words;
}

// Above the size bound a block is marked at line level, not tokenized.
TEST(WordDiffTest, LargeBlocksFallBackToLines) {
  WordDiffOptions options;
  options.max_block_bytes = 16;
  EXPECT_EQ(WordDiff("keep\nthe quick brown fox\n", "keep\nthe quick red fox\n", options),
            "--- a\n+++ b\n@@ -1,2 +1,2 @@\nkeep\n"
            "[-the quick brown fox\n-]{+the quick red fox\n+}\n");
}

// Hostile input: invalid UTF-8 and a huge rewrite finish and keep every byte.
TEST(WordDiffTest, HostileInputIsBounded) {
  const std::string bad = "\xff\xfe\xe4\xbd \xc0\x80 ok\n";
  const std::string out = WordDiff(bad, "ok\n");
  EXPECT_NE(out.find("[-"), std::string::npos);
  std::string big_a, big_b;
  for (int i = 0; i < 12000; ++i) big_a += "w" + std::to_string(i) + " ", big_b += "v" + std::to_string(i) + " ";
  const std::string big = WordDiff(big_a, big_b);
  EXPECT_NE(big.find("[-w0 "), std::string::npos);
  EXPECT_NE(big.find("{+v0 "), std::string::npos);
}

TEST(WordDiffTest, EditSizeCountsCodePoints) {
  EXPECT_EQ(MeasureEdit("我今天去了北京。\n", "我今天去了南京。\n").added, 1);
  EXPECT_EQ(MeasureEdit("我今天去了北京。\n", "我今天去了南京。\n").removed, 1);
  const EditSize first = MeasureEdit("", "你好，world\n");
  EXPECT_EQ(first.added, 9);
  EXPECT_EQ(first.removed, 0);
  const EditSize words = MeasureEdit("the quick brown fox\n", "the quick fox\n");
  EXPECT_EQ(words.added, 0);
  EXPECT_EQ(words.removed, 6);  // "brown "
  const EditSize none = MeasureEdit("same\n", "same\n");
  EXPECT_EQ(none.added + none.removed, 0);
}

TEST(WordTokensTest, TokensConcatenateToTheText) {
  const std::string text = "Hello, 世界！ 北京欢迎你\n\xff end";
  const auto tokens = WordTokens(text, FakeJieba);
  std::string joined;
  for (auto t : tokens) joined += t;
  EXPECT_EQ(joined, text);
  EXPECT_EQ(std::vector<std::string_view>(tokens.begin(), tokens.begin() + 4),
            (std::vector<std::string_view>{"Hello", ",", " ", "世"}));
  EXPECT_NE(std::find(tokens.begin(), tokens.end(), "北京"), tokens.end());
  EXPECT_EQ(CodePoints("你好a\xff"), 4);
}

}  // namespace
}  // namespace archivist::diff
