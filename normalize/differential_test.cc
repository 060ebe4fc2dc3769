// The converter against turndown 7.2.2 itself (tests/data/differential/README.md): 3,000
// random fragments, and every class of code point in every decoding context and in a
// thread's document.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "normalize/normalize.h"
#include "normalize/test_util.h"

namespace archivist::normalize {
namespace {

using testing::DataDir;
using testing::ReadFile;

// Compares the three outputs of one case; returns whether all matched.
bool MatchesReference(const nlohmann::json& c, const std::string& input, const std::string& label) {
  const Options plain{Profile::kPlain, ""};
  const Options zhihu;
  const std::string got_plain = HtmlToMarkdown(input, plain);
  const std::string got_zhihu = HtmlToMarkdown(input, zhihu);
  const std::string got_text = VisibleText(input);
  EXPECT_SAME_TEXT(c["plain"].get<std::string>(), got_plain, label + " (plain)");
  EXPECT_SAME_TEXT(c["zhihu"].get<std::string>(), got_zhihu, label + " (zhihu)");
  EXPECT_SAME_TEXT(c["text"].get<std::string>(), got_text, label + " (text)");
  return got_plain == c["plain"] && got_zhihu == c["zhihu"] && got_text == c["text"];
}

std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

TEST(DifferentialTest, RandomFragmentsMatchTheReference) {
  const auto cases = nlohmann::json::parse(ReadFile(DataDir() / "differential/cases.json"));
  ASSERT_EQ(cases.size(), 3000u);
  int failures = 0;
  for (size_t i = 0; i < cases.size() && failures < 10; ++i) {
    const std::string input = cases[i]["input"].get<std::string>();
    const std::string label = "fragment " + std::to_string(i) + " " + input.substr(0, 200);
    failures += !MatchesReference(cases[i], input, label);
  }
}

// C0 and C1 controls, NUL, CR, noncharacters, encoded surrogates, invalid and overlong
// sequences, as raw bytes and as character references (tests/differential/codepoints.py).
TEST(DifferentialTest, EveryClassOfCodePointMatchesTheReference) {
  const auto cases = nlohmann::json::parse(ReadFile(DataDir() / "differential/codepoints.json"));
  ASSERT_GE(cases.size(), 1000u);
  int failures = 0;
  for (size_t i = 0; i < cases.size() && failures < 20; ++i) {
    const std::string input = cases[i].contains("input_hex")
                                  ? FromHex(cases[i]["input_hex"].get<std::string>())
                                  : cases[i]["input"].get<std::string>();
    const std::string label = "case " + std::to_string(i) + " (" +
                              cases[i]["name"].get<std::string>() + ")";
    failures += !MatchesReference(cases[i], input, label);
  }
  EXPECT_EQ(failures, 0);
}

// The same classes in a thread's title, author, tags and answers.
TEST(DifferentialTest, EveryClassOfCodePointInADocumentMatchesTheReference) {
  const auto cases = nlohmann::json::parse(ReadFile(DataDir() / "differential/documents.json"));
  ASSERT_GE(cases.size(), 80u);
  const Timestamp fixed = ParseIso8601("2026-01-17T08:00:00Z").value();
  for (const auto& c : cases) {
    Document doc;
    doc.title = c["title"].get<std::string>();
    doc.author = c["author"].get<std::string>();
    doc.date = doc.lastmod = fixed;
    doc.tags = c["tags"].get<std::vector<std::string>>();
    for (const auto& a : c["answers"]) {
      doc.answers.push_back({a["author"].get<std::string>(), a["markdown"].get<std::string>()});
    }
    EXPECT_SAME_TEXT(c["document"].get<std::string>(), RenderDocument(doc),
                     "document " + c["name"].get<std::string>());
  }
}

}  // namespace
}  // namespace archivist::normalize
