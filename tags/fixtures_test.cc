// Every fixture question's expected/text.txt gives exactly its expected/tags.json
// (docs/format.md §4), for tests/data/zhihu and tests/data/seed.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tags/test_support.h"

namespace archivist::tags {
namespace {

TEST(FixturesTest, TagsOfEveryFixtureTextEqualExpected) {
  const Jieba& jieba = testing::SharedJieba();
  int checked = 0;
  int equal = 0;
  for (const char* root : {"tests/data/zhihu/questions", "tests/data/seed/questions"}) {
    for (const auto& entry : std::filesystem::directory_iterator(testing::SourcePath(root))) {
      const std::filesystem::path expected = entry.path() / "expected";
      if (!std::filesystem::exists(expected / "tags.json")) continue;
      const std::string text = testing::ReadAll((expected / "text.txt").string());
      const nlohmann::json want_json =
          nlohmann::json::parse(testing::ReadAll((expected / "tags.json").string()));
      const auto want = want_json.get<std::vector<std::string>>();
      Result<std::vector<std::string>> got = jieba.ExtractTags(text, 5);
      ASSERT_TRUE(got.ok()) << entry.path() << ": " << got.status().ToString();
      ++checked;
      if (*got == want) {
        ++equal;
      } else {
        ADD_FAILURE() << entry.path() << ": got " << nlohmann::json(*got).dump()
                      << ", expected " << want_json.dump();
      }
    }
  }
  std::printf("fixtures: %d/%d tags equal\n", equal, checked);
  EXPECT_GE(checked, 248);  // 247 zhihu questions + the seed question
  EXPECT_EQ(equal, checked);
}

}  // namespace
}  // namespace archivist::tags
