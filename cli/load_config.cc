#include "cli/load_config.h"

#include "fetch/sources/zhihu_url.h"

namespace archivist::cli {

config::ParseOptions CliParseOptions() {
  config::ParseOptions options;
  options.check_thread_url = [](std::string_view url) {
    return fetch::ParseQuestionRef(url).status();
  };
  return options;
}

Result<config::Config> LoadEffectiveConfig(const GlobalOptions& global) {
  Result<config::Config> c = config::LoadConfig(global.config_path, CliParseOptions());
  if (!c.ok()) return c.status();
  if (!global.db_path.empty()) c->store_path = global.db_path;
  if (!global.zhihu_base_url.empty()) c->zhihu.base_url = global.zhihu_base_url;
  return c;
}

}  // namespace archivist::cli
