// The options `archivist fetch` and `archivist refresh` share: how to reach the site. Each one
// left out on the command line comes from the configuration (docs/operations.md), or, for
// --retries, which has no key, from the fetch stack's default.
//
// Thread-safety: plain values.
#ifndef ARCHIVIST_CLI_FETCH_FLAGS_H_
#define ARCHIVIST_CLI_FETCH_FLAGS_H_

#include <optional>
#include <string>

#include "config/config.h"
#include "pipeline/backends.h"

namespace CLI {
class App;
}

namespace archivist::cli {

struct FetchFlags {
  std::optional<std::string> backend, cookie, cookies_file, user_agent;
  std::optional<double> timeout_s, delay_s;
  std::optional<int> page_size, retries;

  // Adds --backend, --cookie, --cookies-file, --user-agent, --timeout, --page-size, --retries,
  // --delay.
  void Register(CLI::App& cmd);
  // The options given, over the configuration (fetch.backend, zhihu.cookie, fetch.*,
  // zhihu.page_size; --user-agent is the browser's too).
  void ApplyTo(config::Config& c) const;
  // The options the configuration has no key for, over the settings made from it.
  void ApplyTo(pipeline::FetchSettings& s) const;
};

}  // namespace archivist::cli

#endif  // ARCHIVIST_CLI_FETCH_FLAGS_H_
