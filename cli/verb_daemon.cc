// archivist [--config FILE] [--db FILE] daemon [--verbose]
//
// Runs the scheduler until SIGTERM (daemon/service.h): Type=notify under systemd, logs to
// the journal there and to stderr otherwise, SIGHUP reloads the configuration (with the
// same --config/--db/--zhihu-base-url). SIGTERM/SIGINT cancel the refreshes in flight (none
// is half stored) and exit 0 within a few seconds; a second one exits at once with 128 + the
// signal. Exit 1 when it cannot start (status address, refresh setup, an unwritable store), 2
// for a bad configuration, 3 when the archive is damaged or not an archive, 4 when another
// daemon holds the archive (the unit restarts on neither).
//
// One daemon per archive: the daemon holds the daemon lock of `<archive>.lock`
// (base/lock_file.h) for its lifetime; a second one is refused, naming the holder's pid.
//
// With [web] listen, the read-only viewer (web/viewer.h) runs beside it on its own threads,
// over its own read-only connection to the archive.
#include <CLI/CLI.hpp>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <system_error>

#include "base/lock_file.h"
#include "cli/archive.h"
#include "cli/load_config.h"
#include "cli/verbs.h"
#include "daemon/logging.h"
#include "daemon/pipeline_refresher.h"
#include "daemon/service.h"
#include "daemon/zhihu_hot_list.h"
#include "store/open.h"
#include "web/viewer.h"

namespace archivist::cli {
namespace {

// The daemon lock of the archive at `store_path`, held until the result is destroyed.
// kUnavailable names the daemon that holds it.
Result<LockFile> LockDaemon(const std::string& store_path) {
  if (store_path == config::DefaultStorePath()) {  // a first run: the store's folder is ours
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(store_path).parent_path(), ec);
  }
  Result<LockFile> lock = LockFile::ForArchive(store_path);
  if (!lock.ok()) return lock.status();
  pid_t holder = 0;
  if (Status st = lock->TryLock(LockFile::Role::kDaemon, &holder); !st.ok()) {
    if (st.code() != Status::Code::kUnavailable) return st;
    return Status::Unavailable("the archive " + store_path + " is in use by another daemon (pid " +
                               std::to_string(holder) + ")");
  }
  return lock;
}

// The viewer of [web] listen, or null without one. The archive is created first when
// missing (the viewer opens it read-only).
Result<std::unique_ptr<web::Viewer>> StartViewer(const config::Config& c) {
  if (c.web.listen.empty()) return std::unique_ptr<web::Viewer>();
  if (!store::IsDatabaseUri(c.store_path) && !std::filesystem::exists(c.store_path)) {
    Result<std::unique_ptr<store::Store>> created = store::OpenStore(c.store_path);
    if (!created.ok()) return created.status();
  }
  Result<std::unique_ptr<web::Viewer>> viewer = web::Viewer::Start(c.store_path, c.web.listen);
  if (!viewer.ok()) return viewer.status().WithContext("web.listen " + c.web.listen);
  if (const std::string warning = web::ViewerExposureWarning(c.web.listen); !warning.empty()) {
    spdlog::warn("web.listen: {}", warning);
  }
  spdlog::info("archive viewer at {}", (*viewer)->url());
  return viewer;
}

}  // namespace

void AddDaemonVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto verbose = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("daemon", "run the scheduler until SIGTERM");
  cmd->add_flag("--verbose", *verbose, "log debug messages too");
  cmd->callback([&global, run, verbose] {
    *run = [&global, verbose] {
      daemon::SetUpLogging(*verbose);
      Result<config::Config> c = LoadEffectiveConfig(global, /*check_browser=*/true);
      if (!c.ok()) return PrintConfigError("daemon", c.status()), kExitUsage;
      // A file archive has one daemon (its lock file); a PostgreSQL archive is shared by any
      // number, which claim threads by lease (docs/operations.md).
      std::optional<LockFile> held;
      if (!store::IsDatabaseUri(c->store_path)) {
        Result<LockFile> lock = LockDaemon(c->store_path);
        if (!lock.ok()) {
          PrintError("daemon", lock.status());
          return lock.status().code() == Status::Code::kUnavailable ? daemon::kExitArchiveInUse
                                                                     : kExitFailure;
        }
        held.emplace(std::move(*lock));
      }
      CancelToken stop;  // outlives the service, its workers and their refreshers
      daemon::ServiceOptions options;
      options.reload_config = [&global] { return LoadEffectiveConfig(global, true); };
      options.refreshers = daemon::PipelineRefresherFactory();
      options.hot_lists = daemon::MakeZhihuHotList;
      options.cancel = &stop;
      Result<std::unique_ptr<web::Viewer>> viewer = StartViewer(*c);
      if (!viewer.ok()) return PrintError("daemon", viewer.status()), kExitFailure;
      daemon::Service service(std::move(*c), std::move(options));
      const int rc = service.Run();
      return rc == 0 || rc == daemon::kExitArchiveDamaged ? rc : kExitFailure;
    };
  });
}

}  // namespace archivist::cli
