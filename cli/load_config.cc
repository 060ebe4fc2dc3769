#include "cli/load_config.h"

#include "browser/chromium_process.h"
#include "fetch/sources/zhihu_url.h"

#include <cstdio>

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

Result<config::Config> LoadEffectiveConfig(const GlobalOptions& global, bool check_browser) {
  Result<config::Config> c =
      config::LoadConfig(global.config_path, CliParseOptions(check_browser));
  if (!c.ok()) return c.status();
  if (!global.db_path.empty()) c->store_path = global.db_path;
  if (!global.zhihu_base_url.empty()) c->zhihu.base_url = global.zhihu_base_url;
  return c;
}

}  // namespace archivist::cli
