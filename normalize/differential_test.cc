// 3,000 random fragments against turndown 7.2.2 itself (tests/data/differential/README.md).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "normalize/normalize.h"
#include "normalize/test_util.h"

namespace archivist::normalize {
namespace {

using testing::DataDir;
using testing::ReadFile;

TEST(DifferentialTest, RandomFragmentsMatchTheReference) {
  const auto cases = nlohmann::json::parse(ReadFile(DataDir() / "differential/cases.json"));
  ASSERT_EQ(cases.size(), 3000u);
  const Options plain{Profile::kPlain, ""};
  const Options zhihu;
  int failures = 0;
  for (size_t i = 0; i < cases.size() && failures < 10; ++i) {
    const std::string input = cases[i]["input"].get<std::string>();
    const std::string label = "fragment " + std::to_string(i) + " " + input.substr(0, 200);
    const std::string got_plain = HtmlToMarkdown(input, plain);
    const std::string got_zhihu = HtmlToMarkdown(input, zhihu);
    const std::string got_text = VisibleText(input);
    EXPECT_SAME_TEXT(cases[i]["plain"].get<std::string>(), got_plain, label + " (plain)");
    EXPECT_SAME_TEXT(cases[i]["zhihu"].get<std::string>(), got_zhihu, label + " (zhihu)");
    EXPECT_SAME_TEXT(cases[i]["text"].get<std::string>(), got_text, label + " (text)");
    failures += got_plain != cases[i]["plain"] || got_zhihu != cases[i]["zhihu"] ||
                got_text != cases[i]["text"];
  }
}

}  // namespace
}  // namespace archivist::normalize
