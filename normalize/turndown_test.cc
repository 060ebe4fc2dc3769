// turndown's own test suite at 7.2.2 (the 119 default-option cases) and the 15 worked
// examples of tests/data/turndown/worked-examples.json, through profile `plain`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "normalize/normalize.h"
#include "normalize/test_util.h"

namespace archivist::normalize {
namespace {

using testing::DataDir;
using testing::ReadFile;

const Options kPlain{Profile::kPlain, ""};

TEST(TurndownSuiteTest, EveryDefaultOptionCaseIsByteExact) {
  const auto cases = nlohmann::json::parse(ReadFile(DataDir() / "turndown/cases-7.2.2.json"));
  int checked = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    if (!c["options"].empty()) continue;
    ++checked;
    EXPECT_SAME_TEXT(c["expected"].get<std::string>(),
                     HtmlToMarkdown(c["input"].get<std::string>(), kPlain),
                     "case " + std::to_string(i) + " \"" + c["name"].get<std::string>() + "\"");
  }
  EXPECT_EQ(checked, 119);
}

TEST(TurndownSuiteTest, WorkedExamplesOf722) {
  const auto examples =
      nlohmann::json::parse(ReadFile(DataDir() / "turndown/worked-examples.json"));
  ASSERT_EQ(examples.size(), 15u);
  for (size_t i = 0; i < examples.size(); ++i) {
    EXPECT_SAME_TEXT(examples[i]["md_7_2_2"].get<std::string>(),
                     HtmlToMarkdown(examples[i]["html"].get<std::string>(), kPlain),
                     "worked example E" + std::to_string(i + 1));
  }
}

}  // namespace
}  // namespace archivist::normalize
