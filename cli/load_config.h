// The effective configuration of one archivist invocation: the config file (located as
// config/config.h says) with the global command-line options applied over it
// (--db over store.path, --zhihu-base-url over zhihu.base_url).
#ifndef ARCHIVIST_CLI_LOAD_CONFIG_H_
#define ARCHIVIST_CLI_LOAD_CONFIG_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

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

// The configuration of a verb that reads only `needed` keys (the read-only verbs: store.path;
// `status`: daemon.status_listen): a problem with any other key does not stop it, it is
// printed as "archivist VERB: warning: FILE:LINE:COL: …" (unless `warn` is false) and those
// keys are not to be used. Fails as LoadEffectiveConfig does for a problem with a needed key,
// a TOML syntax error or a file that cannot be read.
Result<config::Config> LoadConfigFor(const GlobalOptions& global, std::string_view verb,
                                     std::vector<std::string> needed, bool warn = true);

// A command-line value in seconds (--timeout 2.5) as a configuration duration.
inline config::Duration Millis(double seconds) {
  return config::Duration(static_cast<int64_t>(seconds * 1000));
}

// "archivist: warning: <text>" on stderr (the browser's warnings, e.g. its sandbox is off).
void WarnOnStderr(const std::string& text);

// The ParseOptions every verb uses (thread urls checked as Zhihu question references).
config::ParseOptions CliParseOptions(bool check_browser = false);

// Runs config::Validate over `effective`, the configuration with the verb's command line
// applied, naming a key by its option when the command line set it (`options`: key →
// "--option", for the options given). Prints each problem as "archivist VERB: …" to stderr;
// false when there was any (the verb then exits 2).
bool ValidateEffective(std::string_view verb, const config::Config& effective,
                       const std::map<std::string, std::string>& options);

// A command-line option in seconds (`option`, e.g. "--delay") for the configuration key
// `key` → *out. False, after printing "archivist VERB: OPTION VALUE is out of range: it must
// be between …" (the key's Limit), when it is not a finite number of a sane size; a finite
// value out of the range is left for ValidateEffective to report.
bool SecondsOption(std::string_view verb, std::string_view option, std::string_view key,
                   double seconds, config::Duration* out);

// "--header 'Name: value'" → name and value; kInvalidArgument (naming the option) when it is
// not of that form, the name is not a token or the value holds a control character.
Result<std::pair<std::string, std::string>> ParseHeaderOption(std::string_view text);

}  // namespace archivist::cli

#endif  // ARCHIVIST_CLI_LOAD_CONFIG_H_
