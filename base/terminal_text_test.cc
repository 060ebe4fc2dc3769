#include "base/terminal_text.h"

#include <gtest/gtest.h>

namespace archivist {
namespace {

TEST(TerminalSafeTest, PlainTextAndCjkAndBackslashesAreKept) {
  EXPECT_EQ(TerminalSafe("如何看待 C:\\path? 100% ok"), "如何看待 C:\\path? 100% ok");
  EXPECT_EQ(TerminalSafe(""), "");
  EXPECT_EQ(TerminalSafe("emoji \xF0\x9F\x98\x80 ok"), "emoji \xF0\x9F\x98\x80 ok");
}

TEST(TerminalSafeTest, TitleSequencesAndScreenClearsBecomeVisible) {
  // OSC 0 (set the window title) ended by BEL, then CSI 2J (clear the screen).
  EXPECT_EQ(TerminalSafe("a\x1b]0;pwned\x07\x1b[2Jb"), "a\\x1b]0;pwned\\x07\\x1b[2Jb");
}

TEST(TerminalSafeTest, LineBreaksCannotForgeALine) {
  EXPECT_EQ(TerminalSafe("title\r\nrefresh zhihu:1 complete"),
            "title\\r\\nrefresh zhihu:1 complete");
  EXPECT_EQ(TerminalSafe("a\tb"), "a\\tb");
  EXPECT_EQ(TerminalSafe("line 1\n\tline 2\r\x1b[2J", /*keep_layout=*/true),
            "line 1\n\tline 2\\r\\x1b[2J");
}

TEST(TerminalSafeTest, EveryC0ControlAndDelAreEscaped) {
  for (int c = 0; c < 0x20; ++c) {
    const std::string out = TerminalSafe(std::string(1, static_cast<char>(c)));
    ASSERT_GE(out.size(), 2u) << c;
    EXPECT_EQ(out[0], '\\') << c;
    for (char o : out) EXPECT_TRUE(o >= 0x20 && o < 0x7F) << c;
  }
  EXPECT_EQ(TerminalSafe(std::string("\0", 1)), "\\x00");
  EXPECT_EQ(TerminalSafe("\x7f"), "\\x7f");
}

TEST(TerminalSafeTest, C1ControlsAreEscapedAsCodePoints) {
  EXPECT_EQ(TerminalSafe("\xC2\x80"), "\\u0080");
  EXPECT_EQ(TerminalSafe("x\xC2\x9B" "2Jy"), "x\\u009b2Jy");  // CSI
  EXPECT_EQ(TerminalSafe("\xC2\x9F"), "\\u009f");
  EXPECT_EQ(TerminalSafe("\xC2\xA0"), "\xC2\xA0");  // NO-BREAK SPACE is text
}

TEST(TerminalSafeTest, BidiOverridesIsolatesAndSeparatorsAreEscaped) {
  EXPECT_EQ(TerminalSafe("a\xE2\x80\xAE" "cba"), "a\\u202ecba");  // RIGHT-TO-LEFT OVERRIDE
  EXPECT_EQ(TerminalSafe("\xE2\x80\xAA"), "\\u202a");
  EXPECT_EQ(TerminalSafe("\xE2\x81\xA6\xE2\x81\xA9"), "\\u2066\\u2069");
  EXPECT_EQ(TerminalSafe("\xE2\x80\xA8\xE2\x80\xA9"), "\\u2028\\u2029");
  EXPECT_EQ(TerminalSafe("\xE2\x80\xAF"), "\xE2\x80\xAF");  // NARROW NO-BREAK SPACE is text
}

TEST(TerminalSafeTest, BytesThatAreNotUtf8AreEscapedOneByOne) {
  EXPECT_EQ(TerminalSafe("a\x9B" "2Jb"), "a\\x9b2Jb");          // a raw 8-bit CSI
  EXPECT_EQ(TerminalSafe("\xC0\xAF"), "\\xc0\\xaf");             // overlong '/'
  EXPECT_EQ(TerminalSafe("\xED\xA0\x80"), "\\xed\\xa0\\x80");     // a surrogate
  EXPECT_EQ(TerminalSafe("\xE4\xB8"), "\\xe4\\xb8");             // cut short at the end
  EXPECT_EQ(TerminalSafe("\xE4\xB8x"), "\\xe4\\xb8x");
  EXPECT_EQ(TerminalSafe("\xF4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
}

TEST(TerminalSafeTest, OutputIsAlwaysPrintable) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  const std::string out = TerminalSafe(all + all);
  for (unsigned char c : out) EXPECT_TRUE(c >= 0x20 && c != 0x7F && c < 0x80) << int(c);
}

}  // namespace
}  // namespace archivist
