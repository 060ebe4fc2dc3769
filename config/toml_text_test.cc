// CheckTomlText, and ParseConfig on the inputs that made toml++ 3.3 reach
// __builtin_unreachable() (found by tests/fuzz/config_fuzzer; kept in
// tests/data/fuzz-regressions/).
#include "config/toml_text.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/config.h"

namespace archivist::config {
namespace {

std::string Where(std::string_view text) {
  std::optional<TomlTextError> e = CheckTomlText(text);
  return e ? std::to_string(e->line) + ":" + std::to_string(e->column) : "ok";
}

TEST(TomlTextTest, NonAsciiIsFineInStringsAndComments) {
  EXPECT_EQ(Where("# 中文注释\n[zhihu]\ncookie = \"値\"  # ζ\nimage_proxy = '中'\n"), "ok");
  EXPECT_EQ(Where("a = \"\"\"\n多行\n\"\"\"\nb = '''\n文字'''\nc = \"\\\"ζ\"\n"), "ok");
  EXPECT_EQ(Where("a = \"\"\"x\"\"\"\"\"\nb = 1 # ζ\n"), "ok");  // two quotes belong to it
  EXPECT_EQ(Where("\xEF\xBB\xBF" "a = 1\n"), "ok");            // a byte order mark
  EXPECT_EQ(Where("a = \"\\n中\"\n"), "ok");                     // an escape, then text
}

TEST(TomlTextTest, NonAsciiOutsideStringsAndBadUtf8AreRefusedWithTheirPlace) {
  EXPECT_EQ(Where("a = \"x\"ζ\n"), "1:8");
  EXPECT_EQ(Where("[fetch]\ntimeou\xCC\xAA = 1\n"), "2:7");
  EXPECT_EQ(Where("\xCC\xAA"), "1:1");
  EXPECT_EQ(Where("a = \"\xFF\"\n"), "1:6");                       // not UTF-8 even in a string
  EXPECT_EQ(Where("a = \"\xC0\xAF\"\n"), "1:6");                   // overlong
  EXPECT_EQ(Where("a = \"\xED\xA0\x80\"\n"), "1:6");               // a surrogate
  EXPECT_EQ(Where("a = \"\"\"\\\n  \xC2\xA7\"\"\"\n"), "2:3");     // after a line-ending backslash
  EXPECT_EQ(CheckTomlText("a = ζ")->message,
            "a non-ASCII character outside a string or a comment (TOML allows them only there)");
}

TEST(TomlTextTest, TheFuzzerFindingIsAnErrorNotUndefinedBehaviour) {
  std::ifstream in(std::string(ARCHIVIST_TEST_DATA) +
                   "/fuzz-regressions/config-toml-unicode-unreachable.toml", std::ios::binary);
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  ParseOptions o;
  o.check_files = false;
  ParseResult r = ParseConfig(text.str(), "f.toml", o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].ToString(),
            "f.toml:2:19: TOML syntax: a non-ASCII character outside a string or a comment "
            "(TOML allows them only there)");
  for (const char* doc : {"s = \"\"\"\\\n\xC2\xA7\"\"\"\n", "\xCC\xAA", "a = 1 \xE3\x80\x80\n"}) {
    EXPECT_FALSE(ParseConfig(doc, "f.toml", o).ok()) << doc;
  }
}

}  // namespace
}  // namespace archivist::config
