// The options `archivist fetch` and `archivist refresh` share: how to reach the site. Each one
// left out on the command line comes from the configuration (docs/operations.md). Numbers are
// range-checked with the configuration's own limits (config::Validate through
// ValidateEffective), so an option can no more turn a protection off than a key can.
//
// Thread-safety: plain values.
#ifndef ARCHIVIST_CLI_FETCH_FLAGS_H_
#define ARCHIVIST_CLI_FETCH_FLAGS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"

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
  // The options given, over the configuration (fetch.backend, zhihu.cookie, zhihu.page_size,
  // fetch.*; --user-agent is the browser's too). False,
  // after printing "archivist VERB: …", when a number of seconds is not a number at all.
  bool ApplyTo(std::string_view verb, config::Config& c) const;
  // The configuration keys the given options set → their option names, for messages.
  void AddGiven(std::map<std::string, std::string>& out) const;
};

}  // namespace archivist::cli

#endif  // ARCHIVIST_CLI_FETCH_FLAGS_H_
