#include "base/bounded_text.h"

#include <gtest/gtest.h>

namespace archivist {
namespace {

TEST(BoundTextTest, ShortTextIsKept) {
  EXPECT_EQ(BoundText("hello"), "hello");
  EXPECT_EQ(BoundText(""), "");
  const std::string exact(1024, 'x');
  EXPECT_EQ(BoundText(exact), exact);
}

TEST(BoundTextTest, LongTextIsCutWithEllipsisAndSize) {
  const std::string big(20 << 20, 'x');
  const std::string out = BoundText(big);
  EXPECT_LE(out.size(), 1024u);
  EXPECT_GT(out.size(), 900u);
  EXPECT_EQ(out.substr(0, 10), "xxxxxxxxxx");
  EXPECT_NE(out.find("\xE2\x80\xA6 (20971520 bytes)"), std::string::npos) << out.substr(990);
  EXPECT_EQ(out.back(), ')');
}

TEST(BoundTextTest, CutsOnAUtf8Boundary) {
  // "中" is 3 bytes; at every bound the result is valid UTF-8 and within the bound.
  std::string text;
  for (int i = 0; i < 100; ++i) text += "中";
  for (size_t max = 0; max < 120; ++max) {
    const std::string out = BoundText(text, max);
    EXPECT_LE(out.size(), max);
    // No partial character: the prefix before the tail is a whole number of "中".
    const size_t ellipsis = out.find("\xE2\x80\xA6");
    const size_t prefix = ellipsis == std::string::npos ? out.size() : ellipsis;
    EXPECT_EQ(prefix % 3, 0u) << "max " << max;
    EXPECT_EQ(out.substr(0, prefix), text.substr(0, prefix));
  }
}

TEST(BoundTextTest, FourByteCharactersAndInvalidInput) {
  std::string emoji;
  for (int i = 0; i < 50; ++i) emoji += "\xF0\x9F\x98\x80";
  const std::string out = BoundText(emoji, 60);
  EXPECT_LE(out.size(), 60u);
  EXPECT_EQ(out.find("\xE2\x80\xA6") % 4, 0u);
  // A run of stray continuation bytes is cut where the bound falls, still within it.
  const std::string junk(5000, '\x80');
  EXPECT_LE(BoundText(junk, 100).size(), 100u);
  EXPECT_LE(BoundText(junk, 2).size(), 2u);
}

}  // namespace
}  // namespace archivist
