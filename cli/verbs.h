// The verbs of the archivist command line. Each verb lives in its own cli/verb_*.cc and
// registers itself on the CLI11 app; main.cc only parses and dispatches.
//
// Exit status (docs/cli.md): 0 success, 1 a fetch or store failure, 2 bad usage
// or bad config. Errors go to stderr, name the input and say what is wrong.
#ifndef ARCHIVIST_CLI_VERBS_H_
#define ARCHIVIST_CLI_VERBS_H_

#include <functional>
#include <string>

namespace CLI {
class App;
}

namespace archivist::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Options that every verb sees (docs/cli.md).
struct GlobalOptions {
  std::string config_path;     // --config FILE
  std::string db_path;         // --db FILE
  std::string zhihu_base_url;  // --zhihu-base-url URL
  std::string media_base_url;  // --media-base-url URL (docs/media.md)
  bool no_pager = false;       // --no-pager (cli/pager.h)
};

// A verb's registration sets `*run` to the action chosen by the parse; main calls it.
using Runner = std::function<int()>;

// `convert`: HTML → Markdown (cli/verb_convert.cc).
void AddConvertVerb(CLI::App& app, const GlobalOptions& global, Runner* run);

// `fetch <question> [--json]`: fetch and print a snapshot; stores nothing (cli/verb_fetch.cc).
void AddFetchVerb(CLI::App& app, const GlobalOptions& global, Runner* run);

void AddTagsVerb(CLI::App& app, const GlobalOptions& global, Runner* run);

// `check-config`: validate the configuration, print the effective one (cli/verb_check_config.cc).
void AddCheckConfigVerb(CLI::App& app, const GlobalOptions& global, Runner* run);

// `daemon`: run the scheduler until SIGTERM (cli/verb_daemon.cc).
void AddDaemonVerb(CLI::App& app, const GlobalOptions& global, Runner* run);

// `status`: the daemon's health, for a person (cli/verb_status.cc).
void AddStatusVerb(CLI::App& app, const GlobalOptions& global, Runner* run);

// `login`: log in once in a browser window on the browser profile (cli/verb_login.cc).
void AddLoginVerb(CLI::App& app, const GlobalOptions& global, Runner* run);


// The archive verbs (docs/cli.md), each in cli/verb_<name>.cc; shared helpers in archive.h.
void AddAddVerb(CLI::App& app, const GlobalOptions& global, Runner* run);
void AddRemoveVerb(CLI::App& app, const GlobalOptions& global, Runner* run);
void AddListVerb(CLI::App& app, const GlobalOptions& global, Runner* run);
void AddRefreshVerb(CLI::App& app, const GlobalOptions& global, Runner* run);
void AddHistoryVerb(CLI::App& app, const GlobalOptions& global, Runner* run);
void AddChangesVerb(CLI::App& app, const GlobalOptions& global, Runner* run);
void AddMediaVerb(CLI::App& app, const GlobalOptions& global, Runner* run);
void AddDiffVerb(CLI::App& app, const GlobalOptions& global, Runner* run);
void AddShowVerb(CLI::App& app, const GlobalOptions& global, Runner* run);
void AddExportVerb(CLI::App& app, const GlobalOptions& global, Runner* run);
void AddRenormalizeVerb(CLI::App& app, const GlobalOptions& global, Runner* run);
void AddBackupVerb(CLI::App& app, const GlobalOptions& global, Runner* run);
// `copy-archive SRC DST`: a whole archive into an empty one, across backends (cli/verb_copy_archive.cc).
void AddCopyArchiveVerb(CLI::App& app, const GlobalOptions& global, Runner* run);
// `serve`: the read-only web viewer (cli/verb_serve.cc, web/).
void AddServeVerb(CLI::App& app, const GlobalOptions& global, Runner* run);


}  // namespace archivist::cli

#endif  // ARCHIVIST_CLI_VERBS_H_
