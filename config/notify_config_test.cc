// [[notify]] tables: both kinds parse with their timeout, every mistake is reported with its
// line, and the effective configuration reads back to the same hooks.
#include <gtest/gtest.h>

#include "config/config.h"

namespace archivist::config {
namespace {

ParseResult Parse(std::string_view text) {
  ParseOptions o;
  o.check_files = false;
  return ParseConfig(text, "/etc/a.toml", o);
}

std::vector<std::string> Lines(const ParseResult& r) {
  std::vector<std::string> out;
  for (const ConfigError& e : r.errors) out.push_back(std::to_string(e.line) + ":" + e.message);
  return out;
}

TEST(NotifyConfig, ExecAndUrlHooks) {
  ParseResult r = Parse(
      "[[notify]]\nexec = \"/usr/local/bin/on-change --quiet\"\n\n"
      "[[notify]]\nurl = \"http://127.0.0.1:8080/hook\"\ntimeout = \"3s\"\n");
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  ASSERT_EQ(r.config.notify.size(), 2u);
  EXPECT_EQ(r.config.notify[0].exec, "/usr/local/bin/on-change --quiet");
  EXPECT_EQ(r.config.notify[0].url, "");
  EXPECT_EQ(r.config.notify[0].timeout, std::chrono::seconds(10));
  EXPECT_EQ(r.config.notify[1].url, "http://127.0.0.1:8080/hook");
  EXPECT_EQ(r.config.notify[1].timeout, std::chrono::seconds(3));
  EXPECT_EQ(r.config.notify[1].line, 4);

  ParseResult again = Parse(FormatConfig(r.config));
  ASSERT_TRUE(again.ok()) << again.errors[0].ToString();
  ASSERT_EQ(again.config.notify.size(), 2u);
  EXPECT_EQ(again.config.notify[0].exec, r.config.notify[0].exec);
  EXPECT_EQ(again.config.notify[1].url, r.config.notify[1].url);
  EXPECT_EQ(again.config.notify[1].timeout, r.config.notify[1].timeout);
}

TEST(NotifyConfig, EveryMistakeIsReported) {
  ParseResult r = Parse(
      "[[notify]]\n"                                  // 1: neither
      "timeout = \"5s\"\n"
      "[[notify]]\n"                                  // 3: both
      "exec = \"true\"\nurl = \"http://h/\"\n"
      "[[notify]]\nurl = \"ftp://h/\"\n"              // 7
      "[[notify]]\nexec = \"true\"\ntimeout = \"1h\"\n"  // 10
      "[[notify]]\nexec = \"true\"\nretries = 3\n"   // 13
      "[[notify]]\nexec = 5\n");                      // 15
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.config.notify.empty());
  const std::vector<std::string> lines = Lines(r);
  const auto has = [&](const std::string& prefix, const std::string& text) {
    for (const std::string& l : lines) {
      if (l.rfind(prefix, 0) == 0 && l.find(text) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("1:", "exactly one of exec")) << ::testing::PrintToString(lines);
  EXPECT_TRUE(has("3:", "exactly one of exec")) << ::testing::PrintToString(lines);
  EXPECT_TRUE(has("7:", "must be an http:// or https:// URL")) << ::testing::PrintToString(lines);
  EXPECT_TRUE(has("10:", "notify.timeout = 1h is out of range")) << ::testing::PrintToString(lines);
  EXPECT_TRUE(has("13:", "unknown key notify.retries")) << ::testing::PrintToString(lines);
  EXPECT_TRUE(has("15:", "notify.exec must be a string")) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines.size(), 6u) << ::testing::PrintToString(lines);
}

TEST(NotifyConfig, NotAnArrayOfTables) {
  ParseResult r = Parse("notify = \"echo hi\"\n");
  ASSERT_EQ(Lines(r).size(), 1u);
  EXPECT_NE(Lines(r)[0].find("notify must be an array of tables"), std::string::npos);
}

}  // namespace
}  // namespace archivist::config
