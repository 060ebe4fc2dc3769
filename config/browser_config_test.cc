// The browser backend's keys of [fetch]: read, checked (the user, the hosts, the program), and
// the browser looked up only when the backend is "browser".
#include <gtest/gtest.h>

#include "config/config.h"
#include "config/config_test_util.h"

namespace archivist::config {
namespace {

TEST(Config, BrowserBackendKeys) {
  ParseResult d = Parse("[store]\npath = \"/var/lib/archivist/archive.db\"\n");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.config.fetch.backend, "http");
  EXPECT_EQ(d.config.fetch.browser, "chromium");
  EXPECT_EQ(d.config.fetch.browser_user, "nobody");
  EXPECT_TRUE(d.config.fetch.browser_sandbox);
  EXPECT_FALSE(d.config.fetch.browser_jit);
  EXPECT_EQ(d.config.fetch.browser_allow_hosts, std::vector<std::string>{"static.zhihu.com"});
  EXPECT_EQ(BrowserProfileDir(d.config), "/var/lib/archivist/browser-profile");

  ParseResult r = Parse(
      "[fetch]\nbackend = \"browser\"\nbrowser = \"bin/chromium\"\nbrowser_user = \"crawler\"\n"
      "browser_sandbox = false\nbrowser_jit = true\nbrowser_profile = \"profile\"\n"
      "browser_user_agent = \"UA/2\"\nbrowser_allow_hosts = [\"a.example\", \"b.example:8080\"]\n");
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  const FetchConfig& f = r.config.fetch;
  EXPECT_EQ(f.backend, "browser");
  EXPECT_EQ(f.browser, "/etc/bin/chromium");  // a path: relative to the file's folder
  EXPECT_EQ(f.browser_user, "crawler");
  EXPECT_FALSE(f.browser_sandbox);
  EXPECT_TRUE(f.browser_jit);
  EXPECT_EQ(BrowserProfileDir(r.config), "/etc/profile");
  EXPECT_EQ(f.browser_user_agent, "UA/2");
  EXPECT_EQ(f.browser_allow_hosts, (std::vector<std::string>{"a.example", "b.example:8080"}));
  EXPECT_EQ(Parse("[fetch]\nbrowser = \"chromium-beta\"\n").config.fetch.browser, "chromium-beta");

  ParseResult again = Parse(FormatConfig(r.config));
  ASSERT_TRUE(again.ok()) << again.errors[0].ToString();
  again.config.source = r.config.source;
  EXPECT_EQ(FormatConfig(again.config), FormatConfig(r.config));
}

TEST(Config, BrowserBackendErrors) {
  ParseResult r = Parse(
      "[fetch]\nbackend = \"chrome\"\nbrowser = 3\nbrowser_user = \"root\"\n"
      "browser_sandbox = \"no\"\nbrowser_allow_hosts = [\"http://x/\"]\n"
      "browser_profile = [1]\n");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
                          "2:fetch.backend = \"chrome\" is not one of \"http\", \"browser\"",
                          "3:fetch.browser must be a string (a program name or path), not an integer",
                          "4:fetch.browser_user must not be root: the browser runs as an "
                          "unprivileged user",
                          "5:fetch.browser_sandbox must be true or false, not a string",
                          "6:fetch.browser_allow_hosts: \"http://x/\" is not a host (\"host\" or "
                          "\"host:port\")",
                          "7:fetch.browser_profile must be a string (a path), not an array"}));
}

TEST(Config, TheBrowserIsCheckedOnlyForTheBrowserBackend) {
  ParseOptions o = NoFiles();
  std::vector<std::string> asked;
  o.check_browser = [&asked](std::string_view b) {
    asked.emplace_back(b);
    return Status::NotFound("browser '" + std::string(b) + "' is not on PATH: install Debian's "
                            "package 'chromium'");
  };
  EXPECT_TRUE(ParseConfig("[fetch]\nbrowser = \"nope\"\n", "f.toml", o).ok());
  EXPECT_TRUE(asked.empty());
  ParseResult r = ParseConfig("[fetch]\nbackend = \"browser\"\nbrowser = \"nope\"\n", "f.toml", o);
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
                          "3:fetch.browser: browser 'nope' is not on PATH: install Debian's "
                          "package 'chromium'"}));
  EXPECT_EQ(asked, std::vector<std::string>{"nope"});
}

}  // namespace
}  // namespace archivist::config
