// Where the configuration comes from, and what it looks like when printed back.
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/file_access.h"
#include "config/config.h"

namespace archivist::config {
namespace {

bool IsFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool Set(const char* v) { return v != nullptr && v[0] != '\0'; }

// A TOML basic string with the escapes TOML requires (U+0000–U+001F and U+007F, DEL).
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string Dur(Duration d) { return Quote(FormatDuration(d)); }

}  // namespace

Result<std::optional<std::string>> LocateConfig(std::string_view explicit_path,
                                                const char* xdg_config_home, const char* home,
                                                std::string_view etc_path) {
  if (!explicit_path.empty()) {
    std::string path(explicit_path);
    if (!IsFile(path)) {
      return Status::NotFound("config file " + path + " (from --config) does not exist");
    }
    return std::optional<std::string>(path);
  }
  std::string xdg;
  if (Set(xdg_config_home)) {
    xdg = std::string(xdg_config_home) + "/archivist/archivist.toml";
  } else if (Set(home)) {
    xdg = std::string(home) + "/.config/archivist/archivist.toml";
  }
  if (!xdg.empty() && IsFile(xdg)) return std::optional<std::string>(xdg);
  if (IsFile(std::string(etc_path))) return std::optional<std::string>(std::string(etc_path));
  return std::optional<std::string>();
}

Result<Config> LoadConfig(std::string_view explicit_path, const ParseOptions& options) {
  Result<std::optional<std::string>> path =
      LocateConfig(explicit_path, std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"));
  if (!path.ok()) return path.status();
  if (!path->has_value()) {
    ParseResult defaults = ParseConfig("", "", options);  // defaults, validated
    if (!defaults.ok()) return Status::InvalidArgument(defaults.errors[0].ToString());
    defaults.config.source.clear();
    return defaults.config;
  }
  const std::string& file = **path;
  // Say why: "Too many open files" is not "missing", and "permission denied" names the user
  // (a unit's DynamicUser cannot read a file kept at 0600 by root).
  if (std::optional<std::string> why = CheckReadable(file)) {
    return Status::IoError("cannot read config file " + file + ": " + *why);
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::IoError("cannot read config file " + file);
  std::ostringstream text;
  text << in.rdbuf();
  ParseResult parsed = ParseConfig(text.str(), file, options);
  if (!parsed.ok()) {
    std::string message = std::to_string(parsed.errors.size()) + " error(s) in " + file + ":";
    for (const ConfigError& e : parsed.errors) message += "\n  " + e.ToString();
    return Status::InvalidArgument(message);
  }
  return parsed.config;
}

std::string DefaultStorePath() {
  if (const char* state = std::getenv("STATE_DIRECTORY"); Set(state)) {
    std::string dir(state);
    dir = dir.substr(0, dir.find(':'));  // systemd joins several with ':'
    return dir + "/archive.db";
  }
  if (const char* data = std::getenv("XDG_DATA_HOME"); Set(data)) {
    return std::string(data) + "/archivist/archive.db";
  }
  if (const char* home = std::getenv("HOME"); Set(home)) {
    return std::string(home) + "/.local/share/archivist/archive.db";
  }
  return "archive.db";
}

std::string BrowserProfileDir(const Config& c) {
  if (!c.fetch.browser_profile.empty()) return c.fetch.browser_profile;
  const size_t slash = c.store_path.rfind('/');
  if (slash == std::string::npos) return "browser-profile";
  return c.store_path.substr(0, slash + 1) + "browser-profile";
}

std::string FormatConfig(const Config& c) {
  std::ostringstream o;
  o << "# effective configuration"
    << (c.source.empty() ? " (defaults: no config file)" : " from " + c.source) << "\n";
  o << "[store]\npath = " << Quote(c.store_path) << "\nlease = " << Dur(c.store_lease)
    << "\n\n";
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", c.export_mode);
  o << "[export]\ndir = " << Quote(c.export_dir) << "\nmode = \"" << mode << "\"\n\n";
  const FetchConfig& f = c.fetch;
  o << "[fetch]\nuser_agent = " << Quote(f.user_agent)
    << (f.user_agent.empty() ? "  # archivist/<version> libcurl/<version>" : "") << "\ntimeout = " << Dur(f.timeout)
    << "\nconnect_timeout = " << Dur(f.connect_timeout) << "\nretries = " << f.retries
    << "\nmax_body = " << Quote(FormatSize(f.max_body)) << "\nconcurrency = " << f.concurrency
    << "\nper_host_concurrency = " << f.per_host_concurrency
    << "\nper_host_delay = " << Dur(f.per_host_delay) << "\nproxy = " << Quote(f.proxy)
    << "\ncookies_file = " << Quote(f.cookies_file) << "\nbackend = " << Quote(f.backend)
    << "\nbrowser = " << Quote(f.browser) << "\nbrowser_user = " << Quote(f.browser_user)
    << "\nbrowser_sandbox = " << (f.browser_sandbox ? "true" : "false")
    << "\nbrowser_jit = " << (f.browser_jit ? "true" : "false")
    << "\nbrowser_profile = " << Quote(f.browser_profile);
  if (f.browser_profile.empty()) o << "  # " << BrowserProfileDir(c);
  o << "\nbrowser_user_agent = " << Quote(f.browser_user_agent) << "\nbrowser_allow_hosts = [";
  for (size_t i = 0; i < f.browser_allow_hosts.size(); ++i) {
    o << (i ? ", " : "") << Quote(f.browser_allow_hosts[i]);
  }
  o << "]\n\n";
  const ZhihuConfig& z = c.zhihu;
  o << "[zhihu]\nbase_url = " << Quote(z.base_url) << "\npage_size = " << z.page_size
    << "\nmax_pages = " << z.max_pages << "\n";
  if (z.cookie.empty()) {
    o << "cookie = \"\"\n";
  } else {
    o << "# cookie = (set, " << z.cookie.size() << " bytes; not shown)\n";
  }
  o << "image_proxy = " << Quote(z.image_proxy) << "\n\n";
  const ScheduleConfig& s = c.schedule;
  o << "[schedule]\nmin_interval = " << Dur(s.min_interval)
    << "\nmax_interval = " << Dur(s.max_interval)
    << "\ninitial_interval = " << Dur(s.initial_interval)
    << "\ndelete_confirmations = " << s.delete_confirmations
    << "\ngone_after = " << Dur(s.gone_after) << "\n\n";
  const DiscoveryConfig& d = c.discovery;
  o << "[discovery]\nzhihu_hot = " << (d.zhihu_hot ? "true" : "false")
    << "\ninterval = " << Dur(d.interval) << "\ntrack_for = " << Dur(d.track_for) << "\n\n";
  o << "[daemon]\nstatus_listen = " << Quote(c.daemon.status_listen) << "\n";
  o << "\n[web]\nlisten = " << Quote(c.web.listen) << "\n";
  const MediaConfig& m = c.media;
  o << "\n[media]\narchive = " << (m.archive ? "true" : "false") << "\nhosts = [";
  for (size_t i = 0; i < m.hosts.size(); ++i) o << (i ? ", " : "") << Quote(m.hosts[i]);
  o << "]\nmax_size = " << Quote(FormatSize(m.max_size)) << "\nbudget = " << m.budget
    << "\nbase_url = " << Quote(m.base_url) << "\n";
  for (const ThreadEntry& t : c.threads) o << "\n[[thread]]\nurl = " << Quote(t.url) << "\n";
  for (const NotifyConfig& n : c.notify) {
    o << "\n[[notify]]\n" << (n.exec.empty() ? "url = " + Quote(n.url) : "exec = " + Quote(n.exec))
      << "\ntimeout = " << Dur(n.timeout) << "\n";
  }
  return o.str();
}

}  // namespace archivist::config
