// archivist [--config FILE] [--db FILE] daemon [--verbose]
//
// Runs the scheduler until SIGTERM (daemon/service.h): Type=notify under systemd, logs to
// the journal there and to stderr otherwise, SIGHUP reloads the configuration (with the
// same --config/--db/--zhihu-base-url). Exit 0 after a clean stop, 1 when it cannot start
// (store, status address, refresh setup), 2 for a bad configuration.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/load_config.h"
#include "cli/verbs.h"
#include "daemon/logging.h"
#include "daemon/pipeline_refresher.h"
#include "daemon/service.h"
#include "daemon/zhihu_hot_list.h"

namespace archivist::cli {

void AddDaemonVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto verbose = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("daemon", "run the scheduler until SIGTERM");
  cmd->add_flag("--verbose", *verbose, "log debug messages too");
  cmd->callback([&global, run, verbose] {
    *run = [&global, verbose] {
      daemon::SetUpLogging(*verbose);
      Result<config::Config> c = LoadEffectiveConfig(global, /*check_browser=*/true);
      if (!c.ok()) {
        std::fprintf(stderr, "archivist daemon: %s\n", c.status().message().c_str());
        return kExitUsage;
      }
      daemon::ServiceOptions options;
      options.reload_config = [&global] { return LoadEffectiveConfig(global, true); };
      options.refreshers = daemon::PipelineRefresherFactory();
      options.hot_lists = daemon::MakeZhihuHotList;
      daemon::Service service(std::move(*c), std::move(options));
      return service.Run() == 0 ? kExitOk : kExitFailure;
    };
  });
}

}  // namespace archivist::cli
