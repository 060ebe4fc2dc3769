#include "store/zstd_codec.h"

#include <gtest/gtest.h>

#include <string>

namespace archivist::store {
namespace {

TEST(ZstdCodecTest, RoundTripsAndShrinksHtml) {
  std::string html;
  for (int i = 0; i < 200; ++i) html += "<p data-pid=\"x" + std::to_string(i) + "\">段落</p>";
  const std::string packed = Compress(html);
  EXPECT_LT(packed.size(), html.size() / 4);
  Result<std::string> back = Decompress(packed);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, html);
  Result<std::string> empty = Decompress(Compress(""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
}

TEST(ZstdCodecTest, DamagedFrameIsCorruption) {
  std::string packed = Compress("<p>hello hello hello hello</p>");
  packed.resize(packed.size() - 3);
  Result<std::string> back = Decompress(packed);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), Status::Code::kCorruption);
  EXPECT_FALSE(Decompress("not zstd").ok());
}

}  // namespace
}  // namespace archivist::store
