// archivist [--config FILE] check-config
//
// Validates the configuration (every error at once, each with file:line:column) and prints
// the effective configuration as TOML: the file's values over the defaults, with --db and
// --zhihu-base-url applied, the cookie's value hidden. With backend = "browser", the browser
// must be installed. Exit 0 when valid, 2 otherwise.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/archive.h"
#include "cli/load_config.h"
#include "cli/verbs.h"
#include "config/listen_address.h"

namespace archivist::cli {

void AddCheckConfigVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  CLI::App* cmd = app.add_subcommand(
      "check-config", "validate the configuration, print the effective one");
  cmd->callback([&global, run] {
    *run = [&global] {
      Result<config::Config> c = LoadEffectiveConfig(global, /*check_browser=*/true);
      if (!c.ok()) return PrintConfigError("check-config", c.status()), kExitUsage;
      if (!c->daemon.status_listen.empty()) {
        Result<config::ListenAddress> listen = config::ParseListenAddress(c->daemon.status_listen);
        if (listen.ok() && !listen->loopback) {
          std::fprintf(stderr, "archivist check-config: warning: daemon.status_listen: %s\n",
                       config::ExposureWarning(*listen).c_str());
        }
      }
      std::fputs(config::FormatConfig(*c).c_str(), stdout);
      return kExitOk;
    };
  });
}

}  // namespace archivist::cli
