// `archivist serve [--listen HOST:PORT]`: the read-only web viewer of the archive
// (docs/viewer.md) until SIGINT or SIGTERM. Loopback (127.0.0.1:9185) unless --listen says
// otherwise; any other address is served with a warning. Prints the viewer's URL on stdout
// once it listens. Exit 0 after a signal, 1 when the archive cannot be opened or the address
// cannot be bound, 2 for a bad address.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>

#include "cli/archive.h"
#include "config/listen_address.h"
#include "web/viewer.h"

namespace archivist::cli {
namespace {

int RunServe(const std::string& listen, const GlobalOptions& global) {
  if (Result<config::ListenAddress> address = config::ParseListenAddress(listen); !address.ok()) {
    return PrintError("serve", address.status().WithContext("--listen")), kExitUsage;
  }
  Result<std::string> path = StorePath(global);
  if (!path.ok()) return PrintError("serve", path.status()), OpenArchiveExit(path.status());
  // The server's threads inherit this mask, so the signals reach sigwait below only.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  Result<std::unique_ptr<web::Viewer>> viewer = web::Viewer::Start(*path, listen);
  if (!viewer.ok()) {
    PrintError("serve", viewer.status().WithContext(*path));
    return viewer.status().code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  if (const std::string warning = web::ViewerExposureWarning(listen); !warning.empty()) {
    std::fprintf(stderr, "archivist serve: warning: %s\n", warning.c_str());
  }
  std::printf("archivist serve: %s (archive %s, read-only)\n", (*viewer)->url().c_str(),
              path->c_str());
  std::fflush(stdout);
  int signal = 0;
  sigwait(&signals, &signal);
  return kExitOk;
}

}  // namespace

void AddServeVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto listen = std::make_shared<std::string>(web::kDefaultListen);
  CLI::App* cmd = app.add_subcommand("serve", "a read-only web viewer of the archive");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd->add_option("--listen", *listen,
                  "HOST:PORT to serve on (default 127.0.0.1:9185; port 0 picks a free one)");
  cmd->callback([listen, &global, run] {
    *run = [listen, &global] { return RunServe(*listen, global); };
  });
}

}  // namespace archivist::cli
