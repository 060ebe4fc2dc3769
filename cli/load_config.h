// The effective configuration of one archivist invocation: the config file (located as
// config/config.h says) with the global command-line options applied over it
// (--db over store.path, --zhihu-base-url over zhihu.base_url).
#ifndef ARCHIVIST_CLI_LOAD_CONFIG_H_
#define ARCHIVIST_CLI_LOAD_CONFIG_H_

#include <string>

#include "base/status.h"
#include "cli/verbs.h"
#include "config/config.h"

namespace archivist::cli {

// Fails (kInvalidArgument, every error one per line; kNotFound for a missing --config file)
// as config::LoadConfig does; [[thread]] urls are checked with fetch::ParseQuestionRef.
// With `check_browser` (check-config, the daemon), backend = "browser" also needs
// fetch.browser to be installed; the one-shot verbs check the backend they are told to use
// when they build it (a `--backend http` must not fail for want of a browser).
Result<config::Config> LoadEffectiveConfig(const GlobalOptions& global, bool check_browser = false);

// A command-line value in seconds (--timeout 2.5) as a configuration duration.
inline config::Duration Millis(double seconds) {
  return config::Duration(static_cast<int64_t>(seconds * 1000));
}

// "archivist: warning: <text>" on stderr (the browser's warnings, e.g. its sandbox is off).
void WarnOnStderr(const std::string& text);

// The ParseOptions every verb uses (thread urls checked as Zhihu question references).
config::ParseOptions CliParseOptions(bool check_browser = false);

}  // namespace archivist::cli

#endif  // ARCHIVIST_CLI_LOAD_CONFIG_H_
