// JavaScript string semantics (docs/format.md §5.3): UTF-16 lengths, the two white-space
// sets, Number() of an <ol start>.
#include "normalize/js_text.h"

#include <gtest/gtest.h>

#include <cmath>

namespace archivist::normalize {
namespace {

TEST(JsTextTest, WhiteSpaceIsJsWsNotUnicodeWs) {
  for (const char* ws : {" ", "\t", "\n", "\v", "\f", "\r", "\u00a0", "\u1680", "\u2000",
                         "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"}) {
    EXPECT_TRUE(IsAllJsWs(ws)) << ws;
    EXPECT_EQ(JsTrim(std::string("x") + ws), "x");
  }
  // ZWSP and U+180E are not white space in JS.
  EXPECT_FALSE(IsAllJsWs("\u200b"));
  EXPECT_FALSE(IsAllJsWs("\u180e"));
  EXPECT_TRUE(IsAllJsWs(""));
  EXPECT_EQ(JsTrim("\u3000 a\u00a0b \ufeff"), "a\u00a0b");
  EXPECT_EQ(JsTrim("\u200bx\u200b"), "\u200bx\u200b");
}

TEST(JsTextTest, AsciiWhiteSpaceExcludesFormFeed) {
  EXPECT_TRUE(IsAsciiWs(' ') && IsAsciiWs('\t') && IsAsciiWs('\r') && IsAsciiWs('\n'));
  EXPECT_FALSE(IsAsciiWs('\f'));
  EXPECT_FALSE(IsAsciiWs('\v'));
}

TEST(JsTextTest, Utf16LengthCountsSurrogatePairsTwice) {
  EXPECT_EQ(Utf16Length(""), 0u);
  EXPECT_EQ(Utf16Length("abc"), 3u);
  EXPECT_EQ(Utf16Length("没什么后果"), 5u);
  EXPECT_EQ(Utf16Length("😀 **ok**"), 9u);  // the setext underline's length
  EXPECT_EQ(Utf16Length("\u00e9\U0001F600"), 3u);
}

TEST(JsTextTest, NumberFollowsJsNumber) {
  EXPECT_EQ(JsNumber("3"), 3);
  EXPECT_EQ(JsNumber(" 7 "), 7);
  EXPECT_EQ(JsNumber("\u00a07\u3000"), 7);
  EXPECT_EQ(JsNumber("0x10"), 16);
  EXPECT_EQ(JsNumber("0X1f"), 31);
  EXPECT_EQ(JsNumber("0o17"), 15);
  EXPECT_EQ(JsNumber("0b101"), 5);
  EXPECT_EQ(JsNumber("1e2"), 100);
  EXPECT_EQ(JsNumber("-2"), -2);
  EXPECT_EQ(JsNumber("+2.5"), 2.5);
  EXPECT_EQ(JsNumber(".5"), 0.5);
  EXPECT_EQ(JsNumber("5."), 5);
  EXPECT_EQ(JsNumber(""), 0);
  EXPECT_EQ(JsNumber("  "), 0);
  EXPECT_TRUE(std::isinf(JsNumber("-Infinity")));
  for (const char* nan : {"x", "1x", "0x", "-0x10", "1e", "1_000", "inf", "nan", "0x1p3", ". 5"}) {
    EXPECT_TRUE(std::isnan(JsNumber(nan))) << nan;
  }
}

TEST(JsTextTest, NumberToStringFollowsJs) {
  EXPECT_EQ(JsNumberToString(0), "0");
  EXPECT_EQ(JsNumberToString(-0.0), "0");
  EXPECT_EQ(JsNumberToString(16), "16");
  EXPECT_EQ(JsNumberToString(-2), "-2");
  EXPECT_EQ(JsNumberToString(2.5), "2.5");
  EXPECT_EQ(JsNumberToString(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(JsNumberToString(1e21), "1e+21");
  EXPECT_EQ(JsNumberToString(123456789012345680000.0), "123456789012345680000");
  EXPECT_EQ(JsNumberToString(1e-7), "1e-7");
  EXPECT_EQ(JsNumberToString(0.000001), "0.000001");
  EXPECT_EQ(JsNumberToString(1.5e300), "1.5e+300");
  EXPECT_EQ(JsNumberToString(std::nan("")), "NaN");
  EXPECT_EQ(JsNumberToString(-INFINITY), "-Infinity");
}

}  // namespace
}  // namespace archivist::normalize
