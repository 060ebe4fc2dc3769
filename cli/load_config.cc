#include "cli/load_config.h"

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>

#include "base/bounded_text.h"
#include "base/header_text.h"
#include "base/terminal_text.h"
#include "browser/chromium_process.h"
#include "fetch/sources/zhihu_url.h"

namespace archivist::cli {

void WarnOnStderr(const std::string& text) {
  std::fprintf(stderr, "archivist: warning: %s\n", text.c_str());
}

config::ParseOptions CliParseOptions(bool check_browser) {
  config::ParseOptions options;
  options.check_thread_url = [](std::string_view url) {
    return fetch::ParseQuestionRef(url).status();
  };
  if (check_browser) {
    options.check_browser = [](std::string_view name) {
      return browser::ChromiumProcess::FindExecutable(std::string(name)).status();
    };
  }
  return options;
}

bool ValidateEffective(std::string_view verb, const config::Config& effective,
                       const std::map<std::string, std::string>& options) {
  const std::vector<config::Problem> problems =
      config::Validate(effective, [&](std::string_view key) {
        auto it = options.find(std::string(key));
        return it == options.end() ? std::string(key) : it->second;
      });
  for (const config::Problem& p : problems) {
    std::fprintf(stderr, "archivist %.*s: %s\n", static_cast<int>(verb.size()), verb.data(),
                 p.message.c_str());
  }
  return problems.empty();
}

bool SecondsOption(std::string_view verb, std::string_view option, std::string_view key,
                   double seconds, config::Duration* out) {
  if (std::optional<config::Duration> d = config::DurationFromSeconds(seconds)) {
    *out = *d;
    return true;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%g", seconds);
  const config::Limit* limit = config::FindLimit(key);
  std::string message = std::string(option) + " " + text + " is not a number of seconds";
  if (limit != nullptr) {
    message = std::isnan(seconds) ? message + ": it must be " + limit->Range()
                                  : config::OutOfRange(*limit, option, text);
  }
  std::fprintf(stderr, "archivist %.*s: %s\n", static_cast<int>(verb.size()), verb.data(),
               message.c_str());
  return false;
}

Result<std::pair<std::string, std::string>> ParseHeaderOption(std::string_view text) {
  const size_t colon = text.find(':');
  const std::string shown = "--header '" + BoundText(text, 128) + "'";
  if (colon == std::string_view::npos || colon == 0) {
    return Status::InvalidArgument(shown + " is not 'Name: value'");
  }
  const std::string name(text.substr(0, colon));
  std::string_view value = text.substr(colon + 1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (std::string bad = CheckHeaderName(name); !bad.empty()) {
    return Status::InvalidArgument("--header: the name has " + bad);
  }
  if (std::string bad = CheckHeaderValue(value); !bad.empty()) {
    return Status::InvalidArgument("--header " + name + ": the value contains " + bad +
                                   " (CR and LF would inject request headers)");
  }
  return std::make_pair(name, std::string(value));
}

Result<config::Config> LoadEffectiveConfig(const GlobalOptions& global, bool check_browser) {
  Result<config::Config> c =
      config::LoadConfig(global.config_path, CliParseOptions(check_browser));
  if (!c.ok()) return c.status();
  if (!global.db_path.empty()) c->store_path = global.db_path;
  if (!global.zhihu_base_url.empty()) c->zhihu.base_url = global.zhihu_base_url;
  if (!global.media_base_url.empty()) c->media.base_url = global.media_base_url;
  return c;
}

Result<config::Config> LoadConfigFor(const GlobalOptions& global, std::string_view verb,
                                     std::vector<std::string> needed, bool warn) {
  config::ParseOptions options = CliParseOptions();
  options.needed_keys = std::move(needed);
  if (warn) {
    options.warn = [verb](const config::ConfigError& e) {
      const std::string safe = TerminalSafe(e.ToString());
      std::fprintf(stderr, "archivist %.*s: warning: %s (ignored: not needed here)\n",
                   static_cast<int>(verb.size()), verb.data(), safe.c_str());
    };
  }
  Result<config::Config> c = config::LoadConfig(global.config_path, options);
  if (!c.ok()) return c.status();
  if (!global.db_path.empty()) c->store_path = global.db_path;
  if (!global.zhihu_base_url.empty()) c->zhihu.base_url = global.zhihu_base_url;
  if (!global.media_base_url.empty()) c->media.base_url = global.media_base_url;
  return c;
}

}  // namespace archivist::cli
