// Service: `archivist daemon`, the long-running process (docs/operations.md).
//
// Run() opens the store, tracks the [[thread]]s of the config that the archive has never
// seen (a thread removed with `archivist remove` stays removed), loads every active thread's
// persisted schedule into the Scheduler, starts the status listener and the workers, and
// tells systemd READY=1. Then one asio event loop (the calling thread) does everything but
// the refreshes themselves:
//   - a tick (every `tick`, and after each finished refresh) starts what the Scheduler says
//     is due on the worker pool, retires discovered threads whose time is over, updates
//     STATUS= and the metrics gauges;
//   - a finished refresh is reported to the Scheduler, its next due time persisted with
//     Store::SetSchedule, counted, and logged in one line;
//   - every `rescan` the store's thread list is read again, so `archivist add` / `remove`
//     from another process take effect while the daemon runs;
//   - with discovery.zhihu_hot, the hot list is polled every discovery.interval on a worker
//     and new questions are added as discovered threads;
//   - WATCHDOG=1 every half $WATCHDOG_USEC;
//   - SIGHUP reloads the configuration (a bad one is logged and the old one kept);
//   - SIGTERM / SIGINT: STOPPING=1, no new refresh starts, and the refreshes in flight are
//     cancelled through options.cancel: their transfers and retry waits end at once and
//     nothing of them is committed (each refresh is one transaction; one already committing
//     finishes); then Run returns 0, within a few seconds. A second SIGTERM / SIGINT, or
//     stop_grace passing with refreshes still in flight, ends the process at once through
//     options.exit_now (status 128 + the signal, or 1): a transaction not committed by then
//     leaves nothing behind (SQLite's write-ahead log ignores it).
// The status listener (its own thread) serves /healthz and /metrics from Metrics.
//
// The archive is checked whole at start (PRAGMA quick_check): a damaged one is refused. A
// read that meets damage later (kCorruption from the store) stops every new refresh and
// write, and /healthz answers 503 "archive damaged: …" until the process ends.
//
// Run returns 1 when it cannot start (store, status address, refresher setup),
// kExitArchiveDamaged when the archive is damaged or not an archive (a restart cannot help),
// 0 after a clean stop.
//
// Thread-safety: construct, Run and destroy on one thread; RequestStop and the accessors
// marked so are thread-safe.
#ifndef ARCHIVIST_DAEMON_SERVICE_H_
#define ARCHIVIST_DAEMON_SERVICE_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "base/cancel.h"
#include "base/clock.h"
#include "config/config.h"
#include "daemon/refresher.h"
#include "store/store.h"

namespace archivist::daemon {

inline constexpr int kExitArchiveDamaged = 3;
// Another daemon holds the archive's lock (cli/verb_daemon.cc): a restart cannot help either.
inline constexpr int kExitArchiveInUse = 4;

struct ServiceOptions {
  // Reads the configuration again (SIGHUP).
  std::function<Result<config::Config>()> reload_config;
  RefresherFactory refreshers;
  HotListFactory hot_lists;  // may be empty: discovery then reports itself unavailable
  // Opens the loop's own Store (default: store::OpenStore of config.store_path).
  std::function<Result<std::unique_ptr<store::Store>>(const config::Config&)> open_store;
  // Question references of [[thread]] (default: fetch::ParseQuestionRef).
  std::function<Result<model::QuestionId>(std::string_view)> parse_thread;
  Clock* clock = nullptr;  // default: a RealClock
  uint64_t seed = 0x5eed;
  std::chrono::milliseconds tick{1000};
  std::chrono::milliseconds rescan{30'000};
  std::chrono::seconds stall_after{30};  // /healthz: the loop silent this long is unhealthy
  // Cancelled at the stop; the factories' refreshers and hot lists should watch it (may be
  // null: then the refreshes in flight are waited for, up to stop_grace).
  CancelToken* cancel = nullptr;
  std::chrono::milliseconds stop_grace{10'000};
  // Ends the process without waiting (default: std::_Exit).
  std::function<void(int status)> exit_now;
  // Scheduler host backoff (DESIGN: exponential, capped).
  std::chrono::seconds host_backoff_base{30};
  std::chrono::seconds host_backoff_max{3600};
};

class Service {
 public:
  Service(config::Config config, ServiceOptions options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  int Run();
  // Thread-safe: begins a stop as SIGTERM does (a second call does not force the exit).
  void RequestStop();
  // Thread-safe: the bound status port once READY (0 before, or when disabled).
  int status_port() const { return status_port_.load(); }

 private:
  struct Loop;
  config::Config config_;
  ServiceOptions options_;
  std::atomic<int> status_port_{0};
  std::mutex mu_;             // guards loop_ and stop_requested_
  Loop* loop_ = nullptr;      // while Run's loop runs
  bool stop_requested_ = false;
};

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_SERVICE_H_
