// ParseConfig and Validate: the defaults, every key, every kind of error (all at once, with
// file:line), the limits shared with the command line, and FormatConfig reading back. Where
// the file is found is locate_test.cc's; the browser backend's keys are
// browser_config_test.cc's.
#include "config/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "config/config_test_util.h"

namespace archivist::config {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

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
  EXPECT_EQ(c.zhihu.max_pages, 2000);
  EXPECT_EQ(c.fetch.connect_timeout, seconds(10));
  EXPECT_EQ(c.fetch.retries, 2);
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
connect_timeout = "5s"
retries = 4
max_body = "512KiB"
concurrency = 8
per_host_concurrency = 2
per_host_delay = "1500ms"
proxy = "http://127.0.0.1:3128"
cookies_file = "/nonexistent/cookies.txt"
[zhihu]
base_url = "http://127.0.0.1:8080"
page_size = 5
max_pages = 77
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
  EXPECT_EQ(c.fetch.connect_timeout, seconds(5));
  EXPECT_EQ(c.fetch.retries, 4);
  EXPECT_EQ(c.zhihu.max_pages, 77);
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
  EXPECT_EQ(c.threads[0].line, 35);
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
            FormatConfig(defaults.config).substr(FormatConfig(defaults.config).find("[fetch]")));
  EXPECT_TRUE(r.config.threads.empty()) << "a copy of the example must track nothing";
}

TEST(Config, UnknownKeysAtEveryLevel) {
  ParseResult r = Parse("colour = 1\n[fetch]\ntimout = \"3s\"\n[[thread]]\nurl = \"1\"\nname = \"x\"\n");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
                          "1:unknown key colour (known: store, export, fetch, zhihu, schedule, "
                          "discovery, daemon, web, media, thread, notify)",
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
                          "2:zhihu.page_size = 500 is out of range: it must be between 1 and 100",
                          "4:fetch.concurrency = 0 is out of range: it must be between 1 and 256"}));
}

TEST(Config, EveryNumberHasARangeInPlainFigures) {
  ParseResult r = Parse(
      "[fetch]\ntimeout = \"0s\"\nconnect_timeout = \"1d\"\nretries = 2147483647\n"
      "max_body = \"2TiB\"\nper_host_delay = \"10000000000000s\"\n"
      "[zhihu]\nmax_pages = 0\n"
      "[schedule]\nmin_interval = \"999ms\"\nmax_interval = \"100000w\"\n"
      "delete_confirmations = 101\n"
      "[discovery]\ninterval = \"400d\"\ntrack_for = \"0s\"\n");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
      "2:fetch.timeout = 0s is out of range: it must be between 100ms and 1h",
      "3:fetch.connect_timeout = 1d is out of range: it must be between 100ms and 10m",
      "4:fetch.retries = 2147483647 is out of range: it must be between 0 and 10",
      "5:fetch.max_body = 2TiB is out of range: it must be between 1KiB and 1GiB",
      "6:fetch.per_host_delay = 115740740d17h46m40s is out of range: it must be between 0s and 1h",
      "8:zhihu.max_pages = 0 is out of range: it must be between 1 and 100000",
      "10:schedule.min_interval = 999ms is out of range: it must be between 1s and 3650d",
      "11:schedule.max_interval = 700000d is out of range: it must be between 1s and 3650d",
      "12:schedule.delete_confirmations = 101 is out of range: it must be between 1 and 100",
      "14:discovery.interval = 400d is out of range: it must be between 1s and 365d",
      "15:discovery.track_for = 0s is out of range: it must be between 1s and 3650d"}));
}

TEST(Config, TheStoreLeaseIsADurationOfASecondToADay) {
  ParseResult ok = Parse("[store]\nlease = \"5s\"\n");
  EXPECT_TRUE(ok.errors.empty());
  EXPECT_EQ(ok.config.store_lease, std::chrono::seconds(5));
  EXPECT_EQ(Parse("").config.store_lease, std::chrono::minutes(2));
  EXPECT_NE(FormatConfig(ok.config).find("lease = \"5s\""), std::string::npos);
  EXPECT_EQ(Lines(Parse("[store]\nlease = \"500ms\"\n")),
            (std::vector<std::string>{
                "2:store.lease = 500ms is out of range: it must be between 1s and 1d"}));
  EXPECT_EQ(Lines(Parse("[store]\nlease = \"2d\"\n")),
            (std::vector<std::string>{
                "2:store.lease = 2d is out of range: it must be between 1s and 1d"}));
}

TEST(Config, TheLimitsAreOnePlaceForTheCommandLineToo) {
  const Limit* delay = FindLimit("fetch.per_host_delay");
  ASSERT_NE(delay, nullptr);
  EXPECT_EQ(OutOfRange(*delay, "--delay", "1e+16"),
            "--delay 1e+16 is out of range: it must be between 0s and 1h");
  EXPECT_EQ(FindLimit("zhihu.cookie"), nullptr);
  EXPECT_EQ(DurationFromSeconds(0.3), std::chrono::milliseconds(300));
  EXPECT_EQ(DurationFromSeconds(-2), std::chrono::milliseconds(-2000));
  EXPECT_FALSE(DurationFromSeconds(std::nan("")));
  EXPECT_FALSE(DurationFromSeconds(1e16));
  EXPECT_FALSE(DurationFromSeconds(-1.0 / 0.0));
  Config c;
  c.fetch.retries = 2147483647;
  c.fetch.timeout = *DurationFromSeconds(1e9);
  std::vector<Problem> p = Validate(c, [](std::string_view key) {
    return key == "fetch.retries" ? std::string("--retries") : std::string(key);
  });
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].message, "fetch.timeout = 11574d1h46m40s is out of range: it must be between 100ms and 1h");
  EXPECT_EQ(p[1].message, "--retries 2147483647 is out of range: it must be between 0 and 10");
}

TEST(Config, ImpossibleCombinations) {
  ParseResult r = Parse(
      "[schedule]\nmin_interval = \"2h\"\nmax_interval = \"1h\"\n"
      "[fetch]\nconcurrency = 2\nper_host_concurrency = 3\n");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
                          "3:schedule.min_interval (2h) is above schedule.max_interval (1h)",
                          "6:fetch.per_host_concurrency (3) is above fetch.concurrency (2)"}));
}

TEST(Config, DefaultsFollowTheGivenValues) {
  ParseResult r = Parse("[schedule]\nmin_interval = \"8d\"\n");
  EXPECT_EQ(Lines(r), std::vector<std::string>{});
  EXPECT_EQ(r.config.schedule.min_interval, hours(24 * 8));
  EXPECT_EQ(r.config.schedule.max_interval, hours(24 * 8));
  EXPECT_EQ(r.config.schedule.initial_interval, hours(24 * 8));

  r = Parse("[schedule]\nmax_interval = \"5m\"\n[fetch]\nper_host_concurrency = 9\n");
  EXPECT_EQ(Lines(r), std::vector<std::string>{});
  EXPECT_EQ(r.config.schedule.min_interval, minutes(5));
  EXPECT_EQ(r.config.schedule.initial_interval, minutes(5));
  EXPECT_EQ(r.config.fetch.concurrency, 9);

  r = Parse("[schedule]\nmin_interval = \"1h\"\n[fetch]\nconcurrency = 1\n");
  EXPECT_EQ(Lines(r), std::vector<std::string>{});
  EXPECT_EQ(r.config.schedule.initial_interval, hours(1));
  EXPECT_EQ(r.config.schedule.max_interval, hours(24 * 7));
  EXPECT_EQ(r.config.fetch.per_host_concurrency, 1);
}

TEST(Config, OneBadValueIsOneError) {
  // Out of range, unparsable, of the wrong type: each is reported alone, not again for each
  // key it would be compared with.
  ParseResult r = Parse(
      "[schedule]\nmin_interval = \"5000d\"\nmax_interval = \"1h\"\ninitial_interval = \"2h\"\n");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
      "2:schedule.min_interval = 5000d is out of range: it must be between 1s and 3650d"}));
  r = Parse("[schedule]\nmax_interval = \"soon\"\ninitial_interval = \"8d\"\n");
  ASSERT_EQ(r.errors.size(), 1u) << Lines(r)[1];
  EXPECT_EQ(r.errors[0].line, 2);
  r = Parse("[fetch]\nconcurrency = 0\nper_host_concurrency = 2\n");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
      "2:fetch.concurrency = 0 is out of range: it must be between 1 and 256"}));
  r = Parse("[fetch]\nconcurrency = \"2\"\nper_host_concurrency = 3\n");
  ASSERT_EQ(r.errors.size(), 1u) << Lines(r)[1];
  EXPECT_EQ(r.errors[0].line, 2);
  // Two given values that contradict each other are one error, not one per rule they break.
  r = Parse("[schedule]\nmin_interval = \"2h\"\nmax_interval = \"1h\"\ninitial_interval = \"3h\"\n");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
      "3:schedule.min_interval (2h) is above schedule.max_interval (1h)"}));
}

TEST(Config, ACallerThatNeedsFewKeysGetsTheRestAsWarnings) {
  ParseOptions o = NoFiles();
  o.needed_keys = {"store.path"};
  std::vector<std::string> warned;
  o.warn = [&](const ConfigError& e) { warned.push_back(std::to_string(e.line) + ":" + e.message); };
  ParseResult r = ParseConfig(
      "[store]\npath = \"/a/b.db\"\n[fetch]\ntimeout = \"soon\"\nbogus = 1\n[nope]\n", "/etc/a.toml", o);
  EXPECT_TRUE(r.ok()) << Lines(r)[0];
  EXPECT_EQ(r.config.store_path, "/a/b.db");
  EXPECT_EQ(warned, (std::vector<std::string>{
      "4:fetch.timeout: " + ParseDuration("soon").status().message(), "5:unknown key fetch.bogus",
      "6:unknown key nope (known: store, export, fetch, zhihu, schedule, discovery, daemon, web, "
                "media, thread, notify)"}));
  // A problem of a needed key, of its table, or of the file's syntax is still an error.
  EXPECT_EQ(ParseConfig("[store]\npath = 3\n", "/etc/a.toml", o).errors.size(), 1u);
  EXPECT_EQ(ParseConfig("store = 3\n", "/etc/a.toml", o).errors.size(), 1u);
  EXPECT_EQ(ParseConfig("[store\n", "/etc/a.toml", o).errors.size(), 1u);
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
                "4:daemon.status_listen \"localhost\": not HOST:PORT with HOST an IP address "
                "or localhost (e.g. 127.0.0.1:9184 or [::1]:9184), or \"\" to disable it",
                "6:store.path must not be empty"}));
}

TEST(Config, ControlCharactersInHeaderValuesAndUrls) {
  ParseResult r = Parse(
      "[zhihu]\ncookie = \"z_c0=1\\r\\nX-Evil: 1\"\nbase_url = \"https://a.test/\\u0000\"\n"
      "image_proxy = \"https://i.test/\\u007f\"\n"
      "[fetch]\nuser_agent = \"ua\\tx\"\nproxy = \"http://p\\n\"\n");
  EXPECT_EQ(Lines(r), (std::vector<std::string>{
      "2:zhihu.cookie contains a control character (0x0d) at byte 6; a Cookie header may not "
      "hold control characters (CR and LF would inject request headers)",
      "3:zhihu.base_url contains a control character (0x00) at byte 15; a URL may not hold "
      "control characters (CR and LF would inject request headers)",
      "4:zhihu.image_proxy contains a control character (0x7f) at byte 15; a URL may not hold "
      "control characters (CR and LF would inject request headers)",
      "6:fetch.user_agent contains a control character (0x09) at byte 2; a User-Agent header "
      "may not hold control characters (CR and LF would inject request headers)",
      "7:fetch.proxy contains a control character (0x0a) at byte 8; a URL may not hold control "
      "characters (CR and LF would inject request headers)"}));
  // The command line names its options instead of the keys.
  Config c;
  c.zhihu.cookie = "a\nb";
  std::vector<Problem> p = Validate(c, [](std::string_view key) {
    return key == "zhihu.cookie" ? std::string("--cookie") : std::string(key);
  });
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].keys, (std::vector<std::string>{"zhihu.cookie"}));
  EXPECT_EQ(p[0].message.substr(0, 59), "--cookie contains a control character (0x0a) at byte 1; a C");
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
                          "2:fetch.cookies_file \"/nonexistent/c.txt\" cannot be read: No such "
                          "file or directory"}));
}

TEST(Config, ExportMode) {
  EXPECT_EQ(Parse("").config.export_mode, 0644u);
  EXPECT_EQ(Parse("[export]\nmode = \"0640\"\n").config.export_mode, 0640u);
  EXPECT_EQ(Parse("[export]\nmode = \"600\"\n").config.export_mode, 0600u);
  ParseResult r = Parse("[export]\nmode = \"0444\"\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("must let the owner read and write"), std::string::npos);
  for (const char* bad : {"\"0x644\"", "\"0888\"", "\"01777\"", "\"\"", "644"}) {
    ParseResult e = Parse(std::string("[export]\nmode = ") + bad + "\n");
    EXPECT_EQ(e.errors.size(), 1u) << bad;
  }
}

TEST(Config, CredentialsDirectoryInAPath) {
  const std::string text = "[fetch]\ncookies_file = \"${CREDENTIALS_DIRECTORY}/zhihu\"\n";
  ::unsetenv("CREDENTIALS_DIRECTORY");
  ParseResult outside = ParseConfig(text, "/etc/a.toml");  // files checked: not an error
  ASSERT_TRUE(outside.ok()) << Lines(outside)[0];
  EXPECT_EQ(outside.config.fetch.cookies_file, "${CREDENTIALS_DIRECTORY}/zhihu");
  ::setenv("CREDENTIALS_DIRECTORY", "/run/credentials/archivist.service", 1);
  ParseResult inside = Parse(text);
  ::unsetenv("CREDENTIALS_DIRECTORY");
  EXPECT_EQ(inside.config.fetch.cookies_file, "/run/credentials/archivist.service/zhihu");
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
  EXPECT_EQ(r.errors.size(), 7u);
  std::vector<int> lines;
  for (const ConfigError& e : r.errors) lines.push_back(e.line);
  EXPECT_EQ(lines, (std::vector<int>{2, 3, 4, 7, 8, 10, 12}));  // in file order
}

TEST(Config, SyntaxErrorHasItsLine) {
  ParseResult r = Parse("[fetch]\ntimeout = \"30s\nconcurrency = 2\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 2);
  EXPECT_NE(r.errors[0].message.find("TOML syntax"), std::string::npos);
}

TEST(Config, MediaKeysAndTheirChecks) {
  ParseResult r = Parse("[media]\narchive = false\nhosts = [\"img.example\", \"*.cdn.example\"]\n"
                        "max_size = \"1MiB\"\nbudget = 7\nbase_url = \"http://127.0.0.1:9\"\n");
  ASSERT_TRUE(r.ok()) << Lines(r)[0];
  EXPECT_FALSE(r.config.media.archive);
  EXPECT_EQ(r.config.media.hosts, (std::vector<std::string>{"img.example", "*.cdn.example"}));
  EXPECT_EQ(r.config.media.max_size, 1 << 20);
  EXPECT_EQ(r.config.media.budget, 7);
  EXPECT_EQ(r.config.media.base_url, "http://127.0.0.1:9");
  ParseResult d = Parse("");
  EXPECT_TRUE(d.config.media.archive);
  EXPECT_EQ(d.config.media.max_size, 20 << 20);
  ParseResult bad = Parse("[media]\nhosts = [\"https://x/\"]\nmax_size = \"2GiB\"\n"
                          "base_url = \"ftp://x\"\nbudget = -1\n");
  EXPECT_EQ(bad.errors.size(), 4u) << ::testing::PrintToString(Lines(bad));
}

TEST(Config, FormatConfigReadsBack) {
  ParseResult r = Parse(
      "[fetch]\ntimeout = \"15m30s\"\nmax_body = \"2000\"\n[zhihu]\ncookie = \"secret\"\n"
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
  EXPECT_EQ(again.config.fetch.timeout, std::chrono::seconds(930));
  EXPECT_EQ(again.config.threads[0].url, "a \"q\"");
}

TEST(Config, FormatConfigEscapesEveryControlCharacterTomlForbids) {
  ParseResult r = Parse("[store]\npath = \"/srv/a\\u007fb\\u0001c\\td\"\n[export]\ndir = '中'\n");
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  const std::string text = FormatConfig(r.config);
  EXPECT_NE(text.find("path = \"/srv/a\\u007fb\\u0001c\\td\""), std::string::npos) << text;
  ParseResult again = Parse(text);
  ASSERT_TRUE(again.ok()) << again.errors[0].ToString();
  EXPECT_EQ(again.config.store_path, "/srv/a\x7f" "b\x01" "c\td");
  EXPECT_EQ(again.config.export_dir, "/etc/中");
}

TEST(Config, GoneAfter) {
  EXPECT_EQ(Parse("").config.schedule.gone_after, hours(24));
  ParseResult r = Parse("[schedule]\ngone_after = \"0s\"\n");
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  EXPECT_EQ(r.config.schedule.gone_after, std::chrono::milliseconds(0));
  r = Parse("[schedule]\ngone_after = \"36h\"\n");
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  EXPECT_EQ(r.config.schedule.gone_after, hours(36));
  EXPECT_NE(FormatConfig(r.config).find("gone_after = \"1d12h\""), std::string::npos)
      << FormatConfig(r.config);
  r = Parse("[schedule]\ngone_after = \"soon\"\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].ToString().find("gone_after"), std::string::npos);
}

}  // namespace
}  // namespace archivist::config
