// Parsing and validating the configuration file.
//
// The approach: toml++ turns the text into a tree (or one syntax error, which ends it);
// then one walk over the tree binds each known key to a field of Config through a small
// table of setters (string, bool, integer with a range, duration, size), and every key that
// is not in a table, every value of the wrong type and every bad duration or size becomes
// a ConfigError with its line and column, without stopping. Then the checks shared with the
// command line (config::Validate in validate.cc: ranges, header values) run; the keys the
// file left out take defaults that agree with the keys it gave (FollowDefaults); and last the
// cross-field rules (min_interval ≤ initial_interval ≤ max_interval, per_host_concurrency ≤
// concurrency, …) point at the line of the key that breaks them. Errors do not cascade: a
// key already reported (a wrong type, a bad duration, out of range) is compared with nothing,
// so one bad value is one error.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <tuple>
#include <map>
#include <set>
#include <sstream>

#include "base/bounded_text.h"
#include "base/file_access.h"
#include "config/config.h"
#include "config/config_parser.h"
#include "config/listen_address.h"
#include "config/notify_parse.h"
#include "config/toml_text.h"

namespace archivist::config {
namespace internal {

void Parser::BindTable(const std::string& prefix, const toml::node& node,
                       std::initializer_list<Field> fields) {
  const toml::table* table = node.as_table();
  About({prefix});
  if (!table) return WrongType("[" + prefix + "]", node, "a table");
  for (auto&& [key, value] : *table) {
    const std::string name = prefix + "." + std::string(key.str());
    About({name});
    const Field* field = nullptr;
    for (const Field& f : fields) {
      if (f.key == key.str()) field = &f;
    }
    if (!field) {
      Error(PosOf(key.source()), "unknown key " + name);
      continue;
    }
    Seen(name, value);
    const size_t errors = errors_.size();
    field->set(*this, name, value);
    if (errors_.size() != errors) bad_.insert(name);
  }
}

void Parser::BindThreads(const toml::node& node) {
  const toml::array* array = node.as_array();
  if (!array) return WrongType("thread", node, "an array of tables ([[thread]])");
  for (const toml::node& item : *array) {
    const toml::table* t = item.as_table();
    if (!t) {
      WrongType("thread", item, "a table with url = \"…\"");
      continue;
    }
    ThreadEntry entry;
    entry.line = PosOf(item.source()).line;
    bool has_url = false;
    for (auto&& [key, value] : *t) {
      if (key.str() != "url") {
        Error(PosOf(key.source()), "unknown key thread." + std::string(key.str()));
        continue;
      }
      auto url = value.value_exact<std::string>();
      if (!url) {
        WrongType("thread.url", value, "a string");
        continue;
      }
      has_url = true;
      entry.url = *url;
      entry.line = PosOf(value.source()).line;
      if (options_.check_thread_url) {
        Status st = options_.check_thread_url(*url);
        if (!st.ok()) Error(PosOf(value.source()), "thread.url: " + st.message());
      }
    }
    if (!has_url) {
      Error(PosOf(item.source()), "[[thread]] needs url = \"https://www.zhihu.com/question/…\"");
    } else {
      config_.threads.push_back(entry);
    }
  }
}

void Parser::Run(const toml::table& root) {
  Config& c = config_;
  for (auto&& [key, value] : root) {
    const std::string k(key.str());
    About({k});
    if (k == "store") {
      BindTable(k, value, {{"path", Path(&c.store_path)}, {"lease", DurationField(&c.store_lease)}});
    } else if (k == "export") {
      BindTable(k, value, {{"dir", Path(&c.export_dir)}, {"mode", FileMode(&c.export_mode)}});
    } else if (k == "fetch") {
      FetchConfig& f = c.fetch;
      BindTable(k, value, {{"user_agent", String(&f.user_agent)},
                           {"timeout", DurationField(&f.timeout)},
                           {"connect_timeout", DurationField(&f.connect_timeout)},
                           {"retries", Int(&f.retries)},
                           {"max_body", SizeField(&f.max_body)},
                           {"concurrency", Int(&f.concurrency)},
                           {"per_host_concurrency", Int(&f.per_host_concurrency)},
                           {"per_host_delay", DurationField(&f.per_host_delay)},
                           {"proxy", String(&f.proxy)},
                           {"cookies_file", Path(&f.cookies_file)},
                           {"backend", OneOf(&f.backend, {"http", "browser"})},
                           {"browser", Program(&f.browser)},
                           {"browser_user", String(&f.browser_user)},
                           {"browser_sandbox", Bool(&f.browser_sandbox)},
                           {"browser_jit", Bool(&f.browser_jit)},
                           {"browser_profile", Path(&f.browser_profile)},
                           {"browser_user_agent", String(&f.browser_user_agent)},
                           {"browser_allow_hosts", Strings(&f.browser_allow_hosts)}});
    } else if (k == "zhihu") {
      ZhihuConfig& z = c.zhihu;
      BindTable(k, value, {{"base_url", String(&z.base_url)},
                           {"page_size", Int(&z.page_size)},
                           {"max_pages", Int(&z.max_pages)},
                           {"cookie", String(&z.cookie)},
                           {"image_proxy", String(&z.image_proxy)}});
    } else if (k == "schedule") {
      ScheduleConfig& s = c.schedule;
      BindTable(k, value, {{"min_interval", DurationField(&s.min_interval)},
                           {"max_interval", DurationField(&s.max_interval)},
                           {"initial_interval", DurationField(&s.initial_interval)},
                           {"delete_confirmations", Int(&s.delete_confirmations)},
                           {"gone_after", DurationField(&s.gone_after)}});
    } else if (k == "discovery") {
      DiscoveryConfig& d = c.discovery;
      BindTable(k, value, {{"zhihu_hot", Bool(&d.zhihu_hot)},
                           {"interval", DurationField(&d.interval)},
                           {"track_for", DurationField(&d.track_for)}});
    } else if (k == "daemon") {
      BindTable(k, value, {{"status_listen", String(&c.daemon.status_listen)}});
    } else if (k == "web") {
      BindTable(k, value, {{"listen", String(&c.web.listen)}});
    } else if (k == "media") {
      MediaConfig& m = c.media;
      BindTable(k, value, {{"archive", Bool(&m.archive)},
                           {"hosts", Strings(&m.hosts)},
                           {"max_size", SizeField(&m.max_size)},
                           {"budget", Int(&m.budget)},
                           {"base_url", String(&m.base_url)}});
    } else if (k == "thread") {
      BindThreads(value);
    } else if (k == "notify") {
      ParseNotify(value, &c.notify, [this](int line, int column, std::string message) {
        Error({line, column}, std::move(message));
      });
    } else {
      Error(PosOf(key.source()), "unknown key " + k +
                                     " (known: store, export, fetch, zhihu, schedule, "
                                     "discovery, daemon, web, media, thread, notify)");
    }
  }
}

// Records `message` at the first of `names` that the file set, when !ok — unless one of
// `names` was already reported: one bad value is one error, not one more per key it meets.
void Parser::Check(bool ok, std::initializer_list<std::string_view> names, std::string message) {
  if (ok) return;
  Pos pos;
  for (auto it = std::rbegin(names); it != std::rend(names); ++it) {
    if (bad_.contains(std::string(*it))) return;
    if (auto w = Where(std::string(*it))) pos = *w;
  }
  About(std::vector<std::string>(names.begin(), names.end()));
  Error(pos, std::move(message));
}

// Records a problem found by config::Validate at the first of its keys that the file set.
void Parser::Report(const Problem& problem) {
  Pos pos;
  for (auto it = problem.keys.rbegin(); it != problem.keys.rend(); ++it) {
    if (auto w = Where(*it)) pos = *w;
    bad_.insert(*it);
  }
  About(problem.keys);
  Error(pos, problem.message);
}

// A key the file left out takes a default that agrees with the keys it gave: a default
// never contradicts the user's value. min_interval = "1d" alone raises max_interval to 1d;
// max_interval = "5m" alone lowers min_interval to 5m; initial_interval is drawn into
// [min_interval, max_interval]; concurrency is at least a given per_host_concurrency and
// per_host_concurrency at most a given concurrency.
void Parser::FollowDefaults() {
  ScheduleConfig& s = config_.schedule;
  const bool min = Given("schedule.min_interval"), max = Given("schedule.max_interval");
  if (min && !max) s.max_interval = std::max(s.max_interval, s.min_interval);
  if (max && !min) s.min_interval = std::min(s.min_interval, s.max_interval);
  if (!Given("schedule.initial_interval") && s.min_interval <= s.max_interval) {
    s.initial_interval = std::clamp(s.initial_interval, s.min_interval, s.max_interval);
  }
  FetchConfig& f = config_.fetch;
  const bool all = Given("fetch.concurrency"), per_host = Given("fetch.per_host_concurrency");
  if (per_host && !all) f.concurrency = std::max(f.concurrency, f.per_host_concurrency);
  if (all && !per_host) f.per_host_concurrency = std::min(f.per_host_concurrency, f.concurrency);
}

// The rules between keys, once every key has its value (given, or a default that follows).
void Parser::CrossChecks() {
  const Config& c = config_;
  const ScheduleConfig& s = c.schedule;
  Check(s.min_interval <= s.max_interval, {"schedule.max_interval", "schedule.min_interval"},
        "schedule.min_interval (" + FormatDuration(s.min_interval) +
            ") is above schedule.max_interval (" + FormatDuration(s.max_interval) + ")");
  // Against an impossible range, the range is the error (reported above), not the value.
  Check(s.min_interval > s.max_interval ||
            (s.initial_interval >= s.min_interval && s.initial_interval <= s.max_interval),
        {"schedule.initial_interval", "schedule.min_interval", "schedule.max_interval"},
        "schedule.initial_interval (" + FormatDuration(s.initial_interval) +
            ") must lie within [min_interval, max_interval] = [" +
            FormatDuration(s.min_interval) + ", " + FormatDuration(s.max_interval) + "]");
  Check(c.fetch.per_host_concurrency <= c.fetch.concurrency,
        {"fetch.per_host_concurrency", "fetch.concurrency"},
        "fetch.per_host_concurrency (" + std::to_string(c.fetch.per_host_concurrency) +
            ") is above fetch.concurrency (" + std::to_string(c.fetch.concurrency) + ")");
}

// Whether `e` may be about one of `needed`: it names no key (a syntax error), one of them,
// or a table that holds one ("store" for "store.path").
bool Concerns(const ConfigError& e, const std::vector<std::string>& needed) {
  if (e.keys.empty()) return true;
  for (const std::string& k : e.keys) {
    for (const std::string& n : needed) {
      if (n == k || (n.starts_with(k) && n.size() > k.size() && n[k.size()] == '.')) return true;
    }
  }
  return false;
}

bool HttpUrl(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

// Ranges first: a key out of its range is reported once and compared with nothing.
void Parser::Validate() {
  for (const Problem& p : config::Validate(config_)) Report(p);
  FollowDefaults();
  CrossChecks();
  const Config& c = config_;
  Check(HttpUrl(c.zhihu.base_url), {"zhihu.base_url"},
        "zhihu.base_url \"" + c.zhihu.base_url + "\" must start with http:// or https://");
  Check(c.media.base_url.empty() || HttpUrl(c.media.base_url), {"media.base_url"},
        "media.base_url \"" + c.media.base_url + "\" must start with http:// or https://");
  for (const std::string& h : c.media.hosts) {
    Check(!h.empty() && h.find_first_of("/ @?#:") == std::string::npos, {"media.hosts"},
          "media.hosts: \"" + h + "\" is not a host (\"img.example\" or \"*.example\")");
  }
  if (!c.daemon.status_listen.empty()) {
    Result<ListenAddress> listen = ParseListenAddress(c.daemon.status_listen);
    Check(listen.ok(), {"daemon.status_listen"},
          "daemon.status_listen " + listen.status().message() + ", or \"\" to disable it");
  }
  if (!c.web.listen.empty()) {
    Result<ListenAddress> listen = ParseListenAddress(c.web.listen);
    Check(listen.ok(), {"web.listen"},
          "web.listen " + listen.status().message() + ", or \"\" for no viewer");
  }
  Check(!c.store_path.empty(), {"store.path"}, "store.path must not be empty");
  Check(!c.fetch.browser.empty(), {"fetch.browser"},
        "fetch.browser must name the browser (default \"chromium\")");
  Check(!c.fetch.browser_user.empty(), {"fetch.browser_user"},
        "fetch.browser_user must name an unprivileged user (default \"nobody\")");
  Check(c.fetch.browser_user != "root", {"fetch.browser_user"},
        "fetch.browser_user must not be root: the browser runs as an unprivileged user");
  for (const std::string& h : c.fetch.browser_allow_hosts) {
    Check(h.find_first_of("/ @?#") == std::string::npos, {"fetch.browser_allow_hosts"},
          "fetch.browser_allow_hosts: \"" + h + "\" is not a host (\"host\" or \"host:port\")");
  }
  if (c.fetch.backend == "browser" && options_.check_browser) {
    Status st = options_.check_browser(c.fetch.browser);
    Check(st.ok(), {"fetch.browser", "fetch.backend"}, "fetch.browser: " + st.message());
  }
  // A credential outside its unit is checked only when a fetch needs it.
  if (options_.check_files && !c.fetch.cookies_file.empty() &&
      !c.fetch.cookies_file.starts_with(kCredentialsDirectory)) {
    const std::optional<std::string> why = CheckReadable(c.fetch.cookies_file);
    Check(!why, {"fetch.cookies_file"},
          "fetch.cookies_file \"" + c.fetch.cookies_file + "\" cannot be read: " + why.value_or(""));
  }
}

}  // namespace internal

using internal::Concerns;
using internal::Parser;
using internal::PosOf;

std::string ConfigError::ToString() const {
  std::string out = file.empty() ? "<config>" : file;
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  return out + ": " + message;
}

ParseResult ParseConfig(std::string_view text, std::string_view file,
                        const ParseOptions& options) {
  ParseResult result;
  Parser parser(file, options);
  parser.config().source = std::string(file);
  parser.config().store_path = DefaultStorePath();
  // toml++ sees only ASCII: it has undefined behaviour on some non-ASCII text (toml_text.h).
  AsciiTomlResult ascii = AsciiToml(text);
  if (ascii.error) {
    parser.Error({ascii.error->line, ascii.error->column}, "TOML syntax: " + ascii.error->message);
    result.errors = parser.TakeErrors();
    result.config = std::move(parser.config());
    return result;
  }
  toml::parse_result parsed = toml::parse(ascii.text, std::string(file));
  if (!parsed) {
    const toml::parse_error& e = parsed.error();
    parser.Error(PosOf(e.source()), "TOML syntax: " + std::string(e.description()));
  } else {
    parser.Run(parsed.table());
    parser.Validate();
  }
  result.errors = parser.TakeErrors();
  // toml++ iterates a table in key order; report in file order (defaults, line 0, first).
  std::stable_sort(result.errors.begin(), result.errors.end(),
                   [](const ConfigError& a, const ConfigError& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  if (!options.needed_keys.empty()) {
    std::erase_if(result.errors, [&](const ConfigError& e) {
      if (Concerns(e, options.needed_keys)) return false;
      if (options.warn) options.warn(e);
      return true;
    });
  }
  result.config = std::move(parser.config());
  return result;
}

}  // namespace archivist::config
