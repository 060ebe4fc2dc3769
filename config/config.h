// config: archivist's TOML configuration (docs/operations.md "Configure"): lookup, parsing,
// validation and the effective configuration as text.
//
// The file is looked up at --config, then $XDG_CONFIG_HOME/archivist/archivist.toml
// ($HOME/.config when XDG_CONFIG_HOME is unset), then /etc/archivist/archivist.toml; without
// a file every key has its default, which works for one-shot use.
//
// Parsing never stops at the first problem: unknown keys, wrong types, bad durations ("90s",
// "10m", "7d", "1h30m", "250ms"), bad sizes ("32MiB", "512KiB", "1GB", or an integer of
// bytes), out-of-range numbers and impossible combinations (min_interval above
// max_interval, …) are all collected, each with file:line:column, and reported together.
// A TOML syntax error stops the TOML parser itself, so it is reported alone.
//
// toml++ is used only here (config.cc and notify_parse.cc), header-only with exceptions off.
//
// Thread-safety: plain values and pure functions.
#ifndef ARCHIVIST_CONFIG_CONFIG_H_
#define ARCHIVIST_CONFIG_CONFIG_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace archivist::config {

using Duration = std::chrono::milliseconds;  // durations are kept to the millisecond

struct FetchConfig {
  std::string user_agent;  // "" = archivist/<version> libcurl/<version> (fetch::DefaultUserAgent)
  Duration timeout = std::chrono::seconds(30);
  Duration connect_timeout = std::chrono::seconds(10);
  int retries = 2;               // extra attempts after a transient failure
  int64_t max_body = 32LL << 20;
  int concurrency = 4;           // refreshes in flight across all hosts
  int per_host_concurrency = 1;  // refreshes in flight to one host
  Duration per_host_delay = std::chrono::seconds(2);
  std::string proxy;
  std::string cookies_file;
  // The backend (docs/fetch.md, docs/browser.md): "http" asks the JSON API; "browser" reads
  // the question page in a headless Chromium. The browser_* keys matter only for "browser"
  // (and `login`).
  std::string backend = "http";
  std::string browser = "chromium";  // a path, or a name looked up on PATH
  std::string browser_user = "nobody";  // the browser's user when archivist runs as root
  bool browser_sandbox = true;          // false: --no-sandbox (machines without user namespaces)
  bool browser_jit = false;             // false: --js-flags=--jitless (MemoryDenyWriteExecute)
  std::string browser_profile;          // "" = BrowserProfileDir's default
  std::string browser_user_agent;       // "" = the browser's own
  // Hosts besides the base URL's that pages may reach (the site's own scripts).
  std::vector<std::string> browser_allow_hosts = {"static.zhihu.com"};
};

struct ZhihuConfig {
  std::string base_url = "https://www.zhihu.com";
  int page_size = 20;
  int max_pages = 2000;          // a listing not ended by then is stopped (partial)
  std::string cookie;
  std::string image_proxy = "https://images.weserv.nl/?url=";
};

// A path key may begin with this: systemd's folder of the unit's credentials
// (LoadCredential=), taken from $CREDENTIALS_DIRECTORY when set.
inline constexpr std::string_view kCredentialsDirectory = "${CREDENTIALS_DIRECTORY}";

struct ScheduleConfig {
  Duration min_interval = std::chrono::minutes(10);
  Duration max_interval = std::chrono::hours(24 * 7);
  Duration initial_interval = std::chrono::minutes(30);
  int delete_confirmations = 2;
  // thread_gone needs its not_found outcomes to span at least this long, first to last
  // (0: the count alone).
  Duration gone_after = std::chrono::hours(24);
};

struct DiscoveryConfig {
  bool zhihu_hot = false;
  Duration interval = std::chrono::minutes(30);
  Duration track_for = std::chrono::hours(24 * 7);
};

struct DaemonConfig {
  std::string status_listen = "127.0.0.1:9184";  // "" disables the listener
};

// [web]: the read-only archive viewer the daemon serves (docs/viewer.md).
struct WebConfig {
  std::string listen;  // HOST:PORT (config/listen_address.h); "" = no viewer
};

// One [[notify]] hook (docs/notifications.md): exactly one of `exec` (a command
// run by /bin/sh with the JSON on stdin) and `url` (an http:// or https:// URL the JSON is
// POSTed to).
struct NotifyConfig {
  std::string exec;
  std::string url;
  Duration timeout = std::chrono::seconds(10);
  int line = 0;  // where it was configured (for messages)
};

// [media]: the images the answers show, kept in the archive (docs/media.md).
struct MediaConfig {
  bool archive = true;                           // false: no image is fetched or linked
  std::vector<std::string> hosts = {"*.zhimg.com"};  // "host" or "*.domain"; https only
  int64_t max_size = 20LL << 20;                 // bytes per image, chunked bodies too
  int budget = 200;                              // image fetches per refresh
  std::string base_url;  // "" = as linked; else scheme and host of every image URL (tests)
};

struct ThreadEntry {
  std::string url;
  int line = 0;  // where it was configured (for messages)
};

struct Config {
  std::string source;  // the file it came from; "" for defaults only
  std::string store_path;  // default: DefaultStorePath()
  // [store] lease: how long a daemon's claim of a thread lasts unrenewed on a shared
  // (PostgreSQL) archive; a daemon that dies loses its threads after it (docs/operations.md).
  Duration store_lease = std::chrono::minutes(2);
  std::string export_dir;  // "" = no export
  unsigned export_mode = 0644;  // of exported files; the folder gets the matching x bits
  FetchConfig fetch;
  ZhihuConfig zhihu;
  ScheduleConfig schedule;
  DiscoveryConfig discovery;
  DaemonConfig daemon;
  WebConfig web;
  MediaConfig media;
  std::vector<ThreadEntry> threads;
  std::vector<NotifyConfig> notify;
};

// One problem found in a file.
struct ConfigError {
  std::string file;
  int line = 0;    // 0 when no position is known
  int column = 0;
  std::string message;
  // The keys it is about ("fetch.timeout"; a table, "fetch"; several for a rule between
  // keys); empty when it is about the file as a whole (a TOML syntax error).
  std::vector<std::string> keys;
  std::string ToString() const;  // "file:line:column: message"
};

struct ParseOptions {
  // Checks one [[thread]] url (e.g. fetch::ParseQuestionRef); config itself knows no source.
  std::function<Status(std::string_view url)> check_thread_url;
  // Checks that a cookies_file is readable (default: it must open for reading).
  bool check_files = true;
  // Checks fetch.browser when the backend is "browser" (e.g. that it is on PATH); may be
  // empty. The CLI passes the browser module's lookup.
  std::function<Status(std::string_view browser)> check_browser;
  // The keys the caller needs, when it needs only a few (a read-only verb: store.path). Then
  // a problem about other keys only is no error: it goes to `warn` (when set), and those keys
  // are not to be used. A syntax error is an error for everyone. Empty: every key is needed.
  std::vector<std::string> needed_keys;
  std::function<void(const ConfigError&)> warn;
};

// Parses `text` (read from `file`, used in messages and to resolve relative paths) over the
// defaults. Returns the Config, or every error found.
struct ParseResult {
  Config config;
  std::vector<ConfigError> errors;
  bool ok() const { return errors.empty(); }
};
ParseResult ParseConfig(std::string_view text, std::string_view file,
                        const ParseOptions& options = {});

// The file to read: `explicit_path` when given (it must exist), else the first existing of
// the XDG and /etc locations, else nullopt (defaults). `xdg_config_home` and `home` are the
// environment's values (nullptr when unset).
Result<std::optional<std::string>> LocateConfig(std::string_view explicit_path,
                                                const char* xdg_config_home, const char* home,
                                                std::string_view etc_path =
                                                    "/etc/archivist/archivist.toml");

// Locates (from the process environment), reads and parses. A failure carries every error,
// one per line, in its message (kInvalidArgument), or kIoError/kNotFound for the file.
Result<Config> LoadConfig(std::string_view explicit_path, const ParseOptions& options = {});

// $STATE_DIRECTORY/archive.db under systemd, else $XDG_DATA_HOME/archivist/archive.db
// ($HOME/.local/share when unset), else ./archive.db.
std::string DefaultStorePath();

// The browser profile directory: fetch.browser_profile, else "browser-profile" in the folder
// of store.path (the state directory: /var/lib/archivist/browser-profile under the unit).
std::string BrowserProfileDir(const Config& config);

// Durations and sizes as the file writes them. Errors say what is wrong with `text`.
Result<Duration> ParseDuration(std::string_view text);
Result<int64_t> ParseSize(std::string_view text);
std::string FormatDuration(Duration d);  // "1h30m", "7d", "250ms", "0s"
std::string FormatSize(int64_t bytes);  // "32MiB", "512KiB", "1000B"

// The accepted range of a number of the configuration, for the file and the command line
// alike (the table is in config/validate.cc). Durations are in milliseconds, sizes in bytes.
struct Limit {
  enum class Unit { kCount, kDuration, kSize };
  std::string_view key;
  Unit unit;
  int64_t min = 0;
  int64_t max = 0;

  std::string Format(int64_t value) const;  // "1h30m", "32MiB", "7"
  std::string Range() const;                // "between 0s and 1h"
};

// The limit of `key` ("fetch.timeout"), or nullptr when the key has none.
const Limit* FindLimit(std::string_view key);

// "NAME = VALUE is out of range: it must be between MIN and MAX" ("--name VALUE …" for an
// option).
std::string OutOfRange(const Limit& limit, std::string_view name, std::string_view value);

// A number of seconds from the command line as a Duration, or nullopt when it is not a
// finite number within ±10^12 s (no range of the table comes near; the caller reports it
// with OutOfRange). Rounded to the millisecond.
std::optional<Duration> DurationFromSeconds(double seconds);

// One problem of a whole configuration, found by Validate.
struct Problem {
  std::vector<std::string> keys;  // the keys it is about; messages blame the first one set
  std::string message;            // names the keys (as KeyNamer says) and what is accepted
};

// How a key is named in messages: the key itself by default. The command line, which applies
// its options over a copy of the configuration and validates the result, names the values it
// set by their options ("--cookie" for zhihu.cookie).
using KeyNamer = std::function<std::string(std::string_view key)>;

// The checks of a whole Config, for the file (ParseConfig runs them) and the command line
// alike: every number within its Limit; header values (zhihu.cookie, fetch.user_agent) and
// URLs (zhihu.base_url, zhihu.image_proxy, fetch.proxy) without control characters.
// Returns every problem.
std::vector<Problem> Validate(const Config& config, const KeyNamer& name = nullptr);

// The effective configuration as TOML that ParseConfig reads back to the same Config,
// except the cookie: its value is never printed, only "(set, N bytes)" in a comment.
std::string FormatConfig(const Config& config);

}  // namespace archivist::config

#endif  // ARCHIVIST_CONFIG_CONFIG_H_
