// The effective configuration of one archivist invocation: the config file (located as
// config/config.h says) with the global command-line options applied over it
// (--db over store.path, --zhihu-base-url over zhihu.base_url).
#ifndef ARCHIVIST_CLI_LOAD_CONFIG_H_
#define ARCHIVIST_CLI_LOAD_CONFIG_H_

#include <set>
#include <string>

#include "base/status.h"
#include "cli/verbs.h"
#include "config/config.h"

namespace archivist::cli {

// Fails (kInvalidArgument, every error one per line; kNotFound for a missing --config file)
// as config::LoadConfig does; [[thread]] urls are checked with fetch::ParseQuestionRef.
Result<config::Config> LoadEffectiveConfig(const GlobalOptions& global);

// The long names ("--timeout") of the options of `cmd` that the command line gave: a verb
// takes the others from the configuration.
std::set<std::string> OptionsGiven(const CLI::App& cmd);

// The ParseOptions every verb uses (thread urls checked as Zhihu question references).
config::ParseOptions CliParseOptions();

}  // namespace archivist::cli

#endif  // ARCHIVIST_CLI_LOAD_CONFIG_H_
