#include "config/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace archivist::config {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

ParseOptions NoFiles() {
  ParseOptions o;
  o.check_files = false;
  return o;
}

ParseResult Parse(std::string_view text) { return ParseConfig(text, "/etc/a.toml", NoFiles()); }

// "line:message" of every error, to compare in one go.
std::vector<std::string> Lines(const ParseResult& r) {
  std::vector<std::string> out;
  for (const ConfigError& e : r.errors) out.push_back(std::to_string(e.line) + ":" + e.message);
  return out;
}

TEST(Config, DefaultsWithoutAFile) {
  ParseResult r = Parse("");
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  const Config& c = r.config;
  EXPECT_EQ(c.fetch.timeout, seconds(30));
  EXPECT_EQ(c.fetch.max_body, 32LL << 20);
  EXPECT_EQ(c.fetch.concurrency, 4);
  EXPECT_EQ(c.fetch.per_host_concurrency, 1);
  EXPECT_EQ(c.fetch.per_host_delay, seconds(2));
  EXPECT_EQ(c.zhihu.base_url, "https://www.zhihu.com");
  EXPECT_EQ(c.zhihu.page_size, 20);
  EXPECT_EQ(c.schedule.min_interval, minutes(10));
  EXPECT_EQ(c.schedule.max_interval, hours(24 * 7));
  EXPECT_EQ(c.schedule.initial_interval, minutes(30));
  EXPECT_EQ(c.schedule.delete_confirmations, 2);
  EXPECT_FALSE(c.discovery.zhihu_hot);
  EXPECT_EQ(c.discovery.interval, minutes(30));
  EXPECT_EQ(c.discovery.track_for, hours(24 * 7));
  EXPECT_EQ(c.daemon.status_listen, "127.0.0.1:9184");
  EXPECT_FALSE(c.store_path.empty());
  EXPECT_TRUE(c.threads.empty());
}

TEST(Config, EveryKeyIsRead) {
  ParseResult r = Parse(R"(
[store]
path = "/srv/a.db"
[export]
dir = "out"
[fetch]
user_agent = "UA/1"
timeout = "45s"
max_body = "512KiB"
concurrency = 8
per_host_concurrency = 2
per_host_delay = "1500ms"
proxy = "http://127.0.0.1:3128"
cookies_file = "/nonexistent/cookies.txt"
[zhihu]
base_url = "http://127.0.0.1:8080"
page_size = 5
cookie = "z_c0=abc"
image_proxy = ""
[schedule]
min_interval = "1m"
max_interval = "2d"
initial_interval = "1h30m"
delete_confirmations = 3
[discovery]
zhihu_hot = true
interval = "15m"
track_for = "3d"
[daemon]
status_listen = "[::1]:9000"
[[thread]]
url = "https://www.zhihu.com/question/1"
[[thread]]
url = "2"
)");
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  const Config& c = r.config;
  EXPECT_EQ(c.store_path, "/srv/a.db");
  EXPECT_EQ(c.export_dir, "/etc/out");  // relative to the file's folder
  EXPECT_EQ(c.fetch.user_agent, "UA/1");
  EXPECT_EQ(c.fetch.timeout, seconds(45));
  EXPECT_EQ(c.fetch.max_body, 512 * 1024);
  EXPECT_EQ(c.fetch.concurrency, 8);
  EXPECT_EQ(c.fetch.per_host_concurrency, 2);
  EXPECT_EQ(c.fetch.per_host_delay, std::chrono::milliseconds(1500));
  EXPECT_EQ(c.fetch.proxy, "http://127.0.0.1:3128");
  EXPECT_EQ(c.fetch.cookies_file, "/nonexistent/cookies.txt");
  EXPECT_EQ(c.zhihu.base_url, "http://127.0.0.1:8080");
  EXPECT_EQ(c.zhihu.page_size, 5);
  EXPECT_EQ(c.zhihu.cookie, "z_c0=abc");
  EXPECT_EQ(c.zhihu.image_proxy, "");
  EXPECT_EQ(c.schedule.min_interval, minutes(1));
  EXPECT_EQ(c.schedule.max_interval, hours(48));
  EXPECT_EQ(c.schedule.initial_interval, minutes(90));
  EXPECT_EQ(c.schedule.delete_confirmations, 3);
  EXPECT_TRUE(c.discovery.zhihu_hot);
  EXPECT_EQ(c.discovery.interval, minutes(15));
  EXPECT_EQ(c.discovery.track_for, hours(72));
  EXPECT_EQ(c.daemon.status_listen, "[::1]:9000");
  ASSERT_EQ(c.threads.size(), 2u);
  EXPECT_EQ(c.threads[0].url, "https://www.zhihu.com/question/1");
  EXPECT_EQ(c.threads[0].line, 32);
  EXPECT_EQ(c.threads[1].url, "2");
}

TEST(Config, ExampleFileParsesAndMatchesTheDefaults) {
  std::ifstream in(ARCHIVIST_EXAMPLE_CONFIG);
  ASSERT_TRUE(in.good());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ParseResult r = ParseConfig(text, ARCHIVIST_EXAMPLE_CONFIG);
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  ParseResult defaults = Parse("");
  defaults.config.store_path = r.config.store_path;  // the browser profile's folder follows it
  EXPECT_EQ(FormatConfig(r.config).substr(FormatConfig(r.config).find("[fetch]")),
            FormatConfig(defaults.config).substr(FormatConfig(defaults.config).find("[fetch]")) +
                "\n[[thread]]\nurl = \"https://www.zhihu.com/question/19550225\"\n");
}

TEST(Config, UnknownKeysAtEveryLevel) {
  ParseResult r = Parse("colour = 1\n[fetch]\ntimout = \"3s\"\n[[thread]]\nurl = \"1\"\nname = \"x\"\n");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
                          "1:unknown key colour (known: store, export, fetch, zhihu, schedule, "
                          "discovery, daemon, thread)",
                          "3:unknown key fetch.timout",
                          "6:unknown key thread.name"}));
  EXPECT_EQ(r.errors[1].ToString(), "/etc/a.toml:3:1: unknown key fetch.timout");
}

TEST(Config, WrongTypes) {
  ParseResult r = Parse(
      "fetch = 3\n[zhihu]\npage_size = \"20\"\n[discovery]\nzhihu_hot = \"yes\"\n"
      "interval = 30\n[store]\npath = 1\n");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
                          "1:[fetch] must be a table, not an integer",
                          "3:zhihu.page_size must be an integer, not a string",
                          "5:discovery.zhihu_hot must be true or false, not a string",
                          "6:discovery.interval must be a duration string such as \"10m\", not an integer",
                          "8:store.path must be a string (a path), not an integer"}));
}

TEST(Config, BadDurationsAndSizes) {
  ParseResult r = Parse("[fetch]\ntimeout = \"30\"\nmax_body = \"32MB!\"\nper_host_delay = \"2 s\"\n");
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0].line, 2);
  EXPECT_NE(r.errors[0].message.find("fetch.timeout: bad duration \"30\": a number needs a unit"),
            std::string::npos);
  EXPECT_EQ(r.errors[1].line, 3);
  EXPECT_NE(r.errors[1].message.find("fetch.max_body: bad size \"32MB!\""), std::string::npos);
  EXPECT_EQ(r.errors[2].line, 4);
  EXPECT_EQ(r.errors[2].column, 18);
}

TEST(Config, OutOfRangeNumbers) {
  ParseResult r = Parse("[zhihu]\npage_size = 500\n[fetch]\nconcurrency = 0\n");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
                          "2:zhihu.page_size = 500 is out of range [1, 100]",
                          "4:fetch.concurrency = 0 is out of range [1, 256]"}));
}

TEST(Config, ImpossibleCombinations) {
  ParseResult r = Parse(
      "[schedule]\nmin_interval = \"2h\"\nmax_interval = \"1h\"\n"
      "[fetch]\nconcurrency = 2\nper_host_concurrency = 3\n");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
                          "2:schedule.initial_interval (30m) must lie within [min_interval, "
                          "max_interval] = [2h, 1h]",
                          "3:schedule.min_interval (2h) is above schedule.max_interval (1h)",
                          "6:fetch.per_host_concurrency (3) is above fetch.concurrency (2)"}));
}

TEST(Config, InitialIntervalOutsideTheRange) {
  ParseResult r = Parse("[schedule]\ninitial_interval = \"8d\"\n");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
                          "2:schedule.initial_interval (8d) must lie within [min_interval, "
                          "max_interval] = [10m, 7d]"}));
}

TEST(Config, BadValuesOfStrings) {
  ParseResult r = Parse(
      "[zhihu]\nbase_url = \"ftp://x\"\n[daemon]\nstatus_listen = \"localhost\"\n"
      "[store]\npath = \"\"\n");
  EXPECT_EQ(Lines(r),
            (std::vector<std::string>{
                "2:zhihu.base_url \"ftp://x\" must start with http:// or https://",
                "4:daemon.status_listen \"localhost\" must be HOST:PORT (e.g. 127.0.0.1:9184), "
                "or \"\" to disable",
                "6:store.path must not be empty"}));
}

TEST(Config, ThreadUrlsAreCheckedByTheCallerAndNeedAUrl) {
  ParseOptions o = NoFiles();
  o.check_thread_url = [](std::string_view url) {
    return url == "bad" ? Status::InvalidArgument("\"bad\" is not a question") : Status::Ok();
  };
  ParseResult r = ParseConfig("[[thread]]\nurl = \"1\"\n[[thread]]\nurl = \"bad\"\n[[thread]]\n",
                              "f.toml", o);
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
                          "4:thread.url: \"bad\" is not a question",
                          "5:[[thread]] needs url = \"https://www.zhihu.com/question/…\""}));
  EXPECT_EQ(r.config.threads.size(), 2u);
}

TEST(Config, UnreadableCookiesFileIsAnError) {
  ParseResult r = ParseConfig("[fetch]\ncookies_file = \"/nonexistent/c.txt\"\n", "f.toml");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
                          "2:fetch.cookies_file \"/nonexistent/c.txt\" cannot be read"}));
}

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

TEST(Config, AllErrorsAtOnce) {
  ParseResult r = Parse(R"([fetch]
timeout = "forever"
bogus = 1
concurrency = "4"
[schedule]
min_interval = "1d"
max_interval = "1h"
delete_confirmations = 0
[discovery]
track_for = "7days"
[daemon]
status_listen = 9184
)");
  EXPECT_EQ(r.errors.size(), 8u);
  std::vector<int> lines;
  for (const ConfigError& e : r.errors) lines.push_back(e.line);
  EXPECT_EQ(lines, (std::vector<int>{2, 3, 4, 6, 7, 8, 10, 12}));  // in file order
}

TEST(Config, SyntaxErrorHasItsLine) {
  ParseResult r = Parse("[fetch]\ntimeout = \"30s\nconcurrency = 2\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 2);
  EXPECT_NE(r.errors[0].message.find("TOML syntax"), std::string::npos);
}

TEST(Config, FormatConfigReadsBack) {
  ParseResult r = Parse(
      "[fetch]\ntimeout = \"1h30m\"\nmax_body = \"2000\"\n[zhihu]\ncookie = \"secret\"\n"
      "[[thread]]\nurl = \"a \\\"q\\\"\"\n");
  ASSERT_TRUE(r.ok());
  const std::string text = FormatConfig(r.config);
  EXPECT_EQ(text.find("secret"), std::string::npos);
  EXPECT_NE(text.find("# cookie = (set, 6 bytes; not shown)"), std::string::npos);
  ParseResult again = Parse(text);
  ASSERT_TRUE(again.ok()) << again.errors[0].ToString();
  again.config.zhihu.cookie = "secret";
  again.config.source = r.config.source;
  EXPECT_EQ(FormatConfig(again.config), text);
  EXPECT_EQ(again.config.fetch.timeout, std::chrono::minutes(90));
  EXPECT_EQ(again.config.threads[0].url, "a \"q\"");
}

class LocateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("archivist_config_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "xdg/archivist");
    std::filesystem::create_directories(dir_ / "home/.config/archivist");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Touch(const std::filesystem::path& p) {
    std::ofstream(p) << "\n";
    return p.string();
  }
  std::filesystem::path dir_;
};

TEST_F(LocateTest, Order) {
  const std::string etc = (dir_ / "etc.toml").string();
  const std::string xdg = (dir_ / "xdg").string();
  const std::string home = (dir_ / "home").string();
  // Nothing anywhere: defaults.
  EXPECT_FALSE(LocateConfig("", xdg.c_str(), home.c_str(), etc)->has_value());
  Touch(etc);
  EXPECT_EQ(**LocateConfig("", xdg.c_str(), home.c_str(), etc), etc);
  const std::string home_file = Touch(dir_ / "home/.config/archivist/archivist.toml");
  EXPECT_EQ(**LocateConfig("", nullptr, home.c_str(), etc), home_file);
  EXPECT_EQ(**LocateConfig("", "", home.c_str(), etc), home_file);
  // XDG_CONFIG_HOME set: $HOME/.config is not consulted.
  EXPECT_EQ(**LocateConfig("", xdg.c_str(), home.c_str(), etc), etc);
  const std::string xdg_file = Touch(dir_ / "xdg/archivist/archivist.toml");
  EXPECT_EQ(**LocateConfig("", xdg.c_str(), home.c_str(), etc), xdg_file);
  const std::string explicit_file = Touch(dir_ / "mine.toml");
  EXPECT_EQ(**LocateConfig(explicit_file, xdg.c_str(), home.c_str(), etc), explicit_file);
  Result<std::optional<std::string>> missing =
      LocateConfig((dir_ / "nope.toml").string(), xdg.c_str(), home.c_str(), etc);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope.toml (from --config) does not exist"),
            std::string::npos);
}

TEST_F(LocateTest, LoadConfigReportsEveryErrorInItsMessage) {
  const std::string file = (dir_ / "bad.toml").string();
  std::ofstream(file) << "[fetch]\ntimeout = \"x\"\nnope = 1\n";
  Result<Config> c = LoadConfig(file);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(c.status().message().find("2 error(s) in " + file), std::string::npos);
  EXPECT_NE(c.status().message().find(file + ":2:11: fetch.timeout: bad duration"),
            std::string::npos);
  EXPECT_NE(c.status().message().find(file + ":3:1: unknown key fetch.nope"), std::string::npos);
}

}  // namespace
}  // namespace archivist::config
