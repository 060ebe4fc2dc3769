// Every fixture answer, visible text and document of tests/data (real Zhihu data, expected
// outputs from the reference normalizer), and every case of the Zhihu profile.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "normalize/normalize.h"
#include "normalize/test_util.h"

namespace archivist::normalize {
namespace {

namespace fs = std::filesystem;
using testing::DataDir;
using testing::ReadFile;

std::vector<fs::path> QuestionDirs() {
  std::vector<fs::path> dirs;
  for (const char* set : {"zhihu/questions", "seed/questions"}) {
    for (const auto& e : fs::directory_iterator(DataDir() / set)) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

std::string IdString(const nlohmann::json& id) {
  return id.is_string() ? id.get<std::string>() : std::to_string(id.get<uint64_t>());
}

TEST(ZhihuFixturesTest, EveryAnswerIsByteExact) {
  int answers = 0;
  for (const fs::path& dir : QuestionDirs()) {
    const auto list = nlohmann::json::parse(ReadFile(dir / "answers.json"));
    for (const auto& a : list) {
      const std::string id = IdString(a["id"]);
      const fs::path expected = dir / "expected" / (id + ".md");
      ASSERT_TRUE(fs::exists(expected)) << expected;
      ++answers;
      EXPECT_SAME_TEXT(ReadFile(expected), HtmlToMarkdown(a["content"].get<std::string>()),
                       "answer " + id + " of question " + dir.filename().string());
    }
  }
  EXPECT_EQ(answers, 1655);
}

TEST(ZhihuFixturesTest, EveryVisibleTextIsByteExact) {
  int questions = 0;
  for (const fs::path& dir : QuestionDirs()) {
    const auto q = nlohmann::json::parse(ReadFile(dir / "question.json"));
    const auto list = nlohmann::json::parse(ReadFile(dir / "answers.json"));
    std::string text = q["title"].get<std::string>() + "\n";
    for (const auto& a : list) text += VisibleText(a["content"].get<std::string>()) + "\n";
    ++questions;
    EXPECT_SAME_TEXT(ReadFile(dir / "expected/text.txt"), text,
                     "text.txt of question " + dir.filename().string());
  }
  EXPECT_EQ(questions, 248);
}

TEST(ZhihuFixturesTest, EveryDocumentIsByteExact) {
  const Timestamp fixed = ParseIso8601("2026-01-17T08:00:00Z").value();
  for (const fs::path& dir : QuestionDirs()) {
    const auto q = nlohmann::json::parse(ReadFile(dir / "question.json"));
    const auto list = nlohmann::json::parse(ReadFile(dir / "answers.json"));
    Document doc;
    doc.title = q["title"].get<std::string>();
    if (q.value("show_author", false) && q.contains("author")) {
      doc.author = q["author"].value("name", "");
    }
    doc.date = doc.lastmod = fixed;
    doc.tags = nlohmann::json::parse(ReadFile(dir / "expected/tags.json"))
                   .get<std::vector<std::string>>();
    for (const auto& a : list) {
      doc.answers.push_back({a["author"]["name"].get<std::string>(),
                             HtmlToMarkdown(a["content"].get<std::string>())});
    }
    EXPECT_SAME_TEXT(ReadFile(dir / "expected/document.md"), RenderDocument(doc),
                     "document of question " + dir.filename().string());
  }
}

TEST(ZhihuProfileTest, EveryRuleCase) {
  const auto cases = nlohmann::json::parse(ReadFile(DataDir() / "profile/cases.json"));
  ASSERT_EQ(cases.size(), 18u);
  for (const auto& c : cases) {
    const std::string name = c["name"].get<std::string>();
    EXPECT_SAME_TEXT(c["expected"].get<std::string>(),
                     HtmlToMarkdown(c["input"].get<std::string>()), "profile case " + name);
    EXPECT_SAME_TEXT(c["text"].get<std::string>(), VisibleText(c["input"].get<std::string>()),
                     "visible text of profile case " + name);
  }
}

}  // namespace
}  // namespace archivist::normalize
