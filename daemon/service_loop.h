// Service::Loop, the daemon's event loop (service.h): its state and its steps, shared by
// service.cc (start, ticks, refreshes, rescans, discovery, health) and service_signals.cc
// (watchdog, signals, reload, stop). Private to the daemon; see service.cc for ownership.
#ifndef ARCHIVIST_DAEMON_SERVICE_LOOP_H_
#define ARCHIVIST_DAEMON_SERVICE_LOOP_H_

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <asio.hpp>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>

#include "config/listen_address.h"
#include "daemon/logging.h"
#include "daemon/fetch_log.h"
#include "daemon/metrics.h"
#include "daemon/notify.h"
#include "daemon/scheduler.h"
#include "daemon/service_config.h"
#include "daemon/status_server.h"
#include "daemon/worker_pool.h"
#include "fetch/http_client.h"
#include "fetch/sources/zhihu_url.h"
#include "pipeline/discovery.h"
#include "pipeline/standalone.h"
#include "notify/notify.h"

namespace archivist::daemon {

using pipeline::AddConfiguredThread;
using pipeline::AddDiscovered;
using pipeline::DiscoveredThread;

struct Service::Loop {
  Loop(Service& service, config::Config config)
      : svc(service), options(service.options_),
        config(std::make_shared<const config::Config>(std::move(config))),
        clock(options.clock ? options.clock : &real_clock),
        politeness(*clock, pipeline::PolitenessOptionsOf(*this->config)),
        browser(*clock, [](const std::string& w) { spdlog::warn("browser: {}", w); }),
        metrics(this->config->store_path),
        fetch_log(metrics),
        shared{*clock, politeness, tagger, browser, options.cancel, &fetch_log},
        hooks(this->config->notify,
              [](bool warning, const std::string& m) {
                warning ? spdlog::warn("{}", m) : spdlog::info("{}", m);
              }),
        tick_timer(io), rescan_timer(io), watchdog_timer(io), discovery_timer(io), stop_timer(io),
        host_timer(io), heartbeat_timer(io),
        signals(io, SIGTERM, SIGINT, SIGHUP) {}

  int Start();
  Status StartStatus();
  void Tick();
  void ScheduleTick(std::chrono::milliseconds after);
  std::chrono::milliseconds UntilNextWakeup() const;
  void OnRefreshed(const store::ThreadKey& key, Result<pipeline::RefreshSummary> done);
  void AfterRefresh();
  void Rescan();
  Status TrackConfigThreads(const config::Config& c);
  void Poll();
  void OnHotList(Result<std::vector<model::HotItem>> items);
  void Watchdog();
  void WatchHosts();
  void OnSignal(int signal);
  void Reload();
  void BeginStop(const char* why, int forced_status);
  void MaybeFinish();
  void Publish();
  // Claims by lease (service_claims.cc).
  Status Register();
  store::DaemonRecord Record() const;
  void StartClaimed(const std::vector<store::ThreadKey>& proposed);
  void Submit(const store::ThreadKey& key);
  void Release(const store::ThreadKey& key, const std::optional<store::Schedule>& schedule);
  void Heartbeat();
  void Deregister();
  Timestamp LeaseEnd() const;
  bool PollHere();
  void StoreWrite(const Status& st, const std::string& what);
  bool FoundDamage(const Status& st);
  std::string StatusLine() const;

  Service& svc;
  const ServiceOptions& options;
  std::shared_ptr<const config::Config> config;
  RealClock real_clock;
  Clock* clock;
  // The one politeness, tagger and browser of the process, lent with the clock to every
  // worker (the pool, declared below, is gone before them).
  fetch::Politeness politeness;
  pipeline::SharedTagger tagger;
  pipeline::SharedBrowser browser;
  std::atomic<bool> browser_backend{false};  // read by the status listener's thread
  Metrics metrics;
  FetchLog fetch_log;  // logs and counts every request, retry and wait of the workers
  SharedPieces shared;
  notify::HookRunner hooks;  // [[notify]]: told about each refresh that recorded events
  Notifier notifier;
  asio::io_context io;
  asio::steady_timer tick_timer, rescan_timer, watchdog_timer, discovery_timer, stop_timer;
  asio::steady_timer host_timer;  // WatchHosts
  asio::steady_timer heartbeat_timer;  // Heartbeat: renews the leases and the daemon record
  asio::signal_set signals;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Scheduler> scheduler;
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<StatusServer> status;
  std::string host;
  std::string status_address;  // the bound status address, e.g. "127.0.0.1:9184"
  std::string daemon_id;  // this process's lease owner and record in the archive
  bool registered = false;
  bool stopping = false;
  bool damaged = false;  // the archive is damaged: nothing more is started or written
  bool polling = false;
  bool tick_pending = false;
  std::optional<std::chrono::microseconds> watchdog_period;
};

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_SERVICE_LOOP_H_
