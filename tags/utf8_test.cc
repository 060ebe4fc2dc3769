#include "tags/utf8.h"

#include <gtest/gtest.h>

namespace archivist::tags {
namespace {

TEST(Utf8Test, RoundTripsAllPlanes) {
  const std::u32string text = U"a\u00e9\u4e2d\U0001F600\U0010FFFF";
  Result<std::u32string> back = DecodeUtf8(EncodeUtf8(text), "t");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, text);
}

TEST(Utf8Test, RejectsWhatPythonRejects) {
  for (const std::string bad : {"\xC0\x80", "\xE0\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                                "\xE4\xB8", "\x80", "\xFF"}) {
    Result<std::u32string> r = DecodeUtf8("ok" + bad, "stdin");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message(), "stdin: invalid UTF-8 at byte 2");
  }
}

TEST(Utf8Test, PythonSpaceIsTheTwentyNineCodePointsOfStrIsspace) {
  // [hex(c) for c in range(0x110000) if chr(c).isspace()] in CPython 3.11.
  const std::vector<char32_t> expected = {
      0x9,    0xa,    0xb,    0xc,    0xd,    0x1c,   0x1d,   0x1e,   0x1f,   0x20,
      0x85,   0xa0,   0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
      0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000};
  std::vector<char32_t> got;
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    if (IsPythonSpace(c)) got.push_back(c);
  }
  EXPECT_EQ(got, expected);
}

TEST(Utf8Test, PythonStripRemovesUnicodeSpaceAtBothEnds) {
  EXPECT_EQ(PythonStrip(U"\u3000 ab\x85\u2028"), U"ab");
  EXPECT_EQ(PythonStrip(U"\r\n"), U"");
  EXPECT_EQ(PythonStrip(U"\u200bab"), U"\u200bab");  // zero width space is not white space
}

}  // namespace
}  // namespace archivist::tags
