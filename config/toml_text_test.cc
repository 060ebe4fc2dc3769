// AsciiToml, and ParseConfig on the inputs that made toml++ 3.3 reach
// __builtin_unreachable() (found by tests/fuzz/config_fuzzer; kept in
// tests/data/fuzz-regressions/).
#include "config/toml_text.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/config.h"

namespace archivist::config {
namespace {

std::string Ascii(std::string_view text) {
  AsciiTomlResult r = AsciiToml(text);
  return r.error ? "error " + std::to_string(r.error->line) + ":" + std::to_string(r.error->column)
                 : r.text;
}

ParseResult Parse(std::string_view text) {
  ParseOptions o;
  o.check_files = false;
  return ParseConfig(text, "f.toml", o);
}

TEST(AsciiTomlTest, AsciiTextIsUnchanged) {
  const std::string text = "# c\n[fetch]\nuser_agent = 'a\\b \"c\"'\nproxy = \"x\\\"y\"\n";
  EXPECT_EQ(Ascii(text), text);
}

TEST(AsciiTomlTest, NonAsciiInStringsIsEscapedAndInCommentsReplaced) {
  EXPECT_EQ(Ascii("# 注释\na = \"中ζ😀\" # ζ\n"),
            "# ??\na = \"\\u4E2D\\u03B6\\U0001F600\" # ?\n");
  EXPECT_EQ(Ascii("a = '中 \\ \"q\"'\n"), "a = \"\\u4E2D \\\\ \\\"q\\\"\"\n");
  EXPECT_EQ(Ascii("a = '''\n多\\行'''''\n"), "a = \"\"\"\n\\u591A\\\\\\u884C''\"\"\"\n");
  EXPECT_EQ(Ascii("a = \"\"\"\\\n  \xC2\xA7\"\"\"\n"), "a = \"\"\"\\\n  \\u00A7\"\"\"\n");
  EXPECT_EQ(Ascii("\xEF\xBB\xBF" "a = 1\n"), "a = 1\n");  // a byte order mark is dropped
}

TEST(AsciiTomlTest, NonAsciiOutsideStringsAndBadUtf8AreRefusedWithTheirPlace) {
  EXPECT_EQ(Ascii("a = \"x\"ζ\n"), "error 1:8");
  EXPECT_EQ(Ascii("[fetch]\ntimeou\xCC\xAA = 1\n"), "error 2:7");
  EXPECT_EQ(Ascii("\xCC\xAA"), "error 1:1");
  EXPECT_EQ(Ascii("a = \"\xFF\"\n"), "error 1:6");          // not UTF-8 even in a string
  EXPECT_EQ(Ascii("a = \"\xC0\xAF\"\n"), "error 1:6");      // overlong
  EXPECT_EQ(Ascii("a = \"\xED\xA0\x80\"\n"), "error 1:6");  // a surrogate
  EXPECT_EQ(AsciiToml("a = ζ").error->message,
            "a non-ASCII character outside a string or a comment (TOML allows them only there)");
}

TEST(AsciiTomlTest, TheValuesReadBackAreTheOriginalText) {
  ParseResult r = Parse("# 中文注释\n[zhihu]\nimage_proxy = '中\\x \"q\"'  # ζ\n"
                        "base_url = \"https://例え.test/\"\n[store]\npath = '''\n存档\\\\a.db'''\n"
                        "[[thread]]\nurl = \"\"\"\\\n  \xC2\xA7\"\"\"\n");
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  EXPECT_EQ(r.config.zhihu.image_proxy, "中\\x \"q\"");
  EXPECT_EQ(r.config.zhihu.base_url, "https://例え.test/");
  EXPECT_EQ(r.config.store_path, "存档\\\\a.db");
  EXPECT_EQ(r.config.threads[0].url, "\xC2\xA7");
}

TEST(AsciiTomlTest, TheFuzzerFindingsAreErrorsNotUndefinedBehaviour) {
  for (const char* name : {"config-toml-unicode-unreachable.toml",
                           "config-toml-unicode-unreachable-2.toml"}) {
    std::ifstream in(std::string(ARCHIVIST_TEST_DATA) + "/fuzz-regressions/" + name,
                     std::ios::binary);
    ASSERT_TRUE(in.good()) << name;
    std::stringstream text;
    text << in.rdbuf();
    ParseResult r = Parse(text.str());
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.errors.size(), 1u) << name;
  }
  for (const char* doc : {"s = \"\"\"\\\n\xC2\xA7\"\"\"\n", "\xCC\xAA", "a = 1 \xE3\x80\x80\n",
                          "a = -\"76m\xD0\x91\"\n"}) {
    (void)Parse(doc);  // under the sanitizers: no undefined behaviour
  }
}

}  // namespace
}  // namespace archivist::config
