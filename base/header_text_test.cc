#include "base/header_text.h"

#include <gtest/gtest.h>

namespace archivist {
namespace {

TEST(HeaderTextTest, ControlCharactersInValues) {
  EXPECT_EQ(CheckHeaderValue("z_c0=abc; d_c0=\"x|y\""), "");
  EXPECT_EQ(CheckHeaderValue("Mozilla/5.0 (X11; Linux) 中文"), "");
  EXPECT_EQ(CheckHeaderValue("a\r\nX-Evil: 1"), "a control character (0x0d) at byte 1");
  EXPECT_EQ(CheckHeaderValue("ab\n"), "a control character (0x0a) at byte 2");
  EXPECT_EQ(CheckHeaderValue(std::string("a\0b", 3)), "a control character (0x00) at byte 1");
  EXPECT_EQ(CheckHeaderValue("tab\there"), "a control character (0x09) at byte 3");
  EXPECT_EQ(CheckHeaderValue("del\x7f"), "a control character (0x7f) at byte 3");
}

TEST(HeaderTextTest, NamesAreTokens) {
  EXPECT_EQ(CheckHeaderName("X-Zse-93"), "");
  EXPECT_EQ(CheckHeaderName(""), "an empty name");
  EXPECT_EQ(CheckHeaderName("X Evil"), "a character not allowed in a header name (0x20) at byte 1");
  EXPECT_EQ(CheckHeaderName("X\r\nEvil"), "a character not allowed in a header name (0x0d) at byte 1");
}

}  // namespace
}  // namespace archivist
