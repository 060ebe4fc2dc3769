// The daemon's event loop. See service.h for what it does; this file is the wiring.
//
// Ownership: Loop lives on Run()'s stack and owns the io_context, the timers, the loop's
// Store, the Scheduler, the WorkerPool and the StatusServer. Workers post their results back
// with asio::post, so every Scheduler and Store call of the loop happens on the loop thread.
// Stopping waits for the pool's in-flight refreshes (each one transaction), then joins the
// workers and the status thread before Run returns: nothing outlives the Loop.
#include "daemon/service.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <asio.hpp>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "daemon/discovery.h"
#include "daemon/logging.h"
#include "daemon/metrics.h"
#include "daemon/notify.h"
#include "daemon/scheduler.h"
#include "daemon/service_config.h"
#include "daemon/status_server.h"
#include "daemon/worker_pool.h"
#include "fetch/http_client.h"
#include "fetch/sources/zhihu_url.h"

namespace archivist::daemon {
namespace {

}  // namespace

struct Service::Loop {
  Loop(Service& service, config::Config config)
      : svc(service), options(service.options_),
        config(std::make_shared<const config::Config>(std::move(config))),
        clock(options.clock ? options.clock : &real_clock),
        politeness(*clock, pipeline::PolitenessOptionsOf(*this->config)),
        browser(*clock, [](const std::string& w) { spdlog::warn("browser: {}", w); }),
        shared{*clock, politeness, tagger, browser},
        metrics(this->config->store_path),
        tick_timer(io), rescan_timer(io), watchdog_timer(io), discovery_timer(io),
        signals(io, SIGTERM, SIGINT, SIGHUP) {}

  int Start();
  Status StartStatus();
  void Tick();
  void ScheduleTick(std::chrono::milliseconds after);
  void OnRefreshed(const store::ThreadKey& key, Result<pipeline::RefreshSummary> done);
  void AfterRefresh();
  void Rescan();
  Status TrackConfigThreads(const config::Config& c);
  void Poll();
  void OnHotList(Result<std::vector<model::HotItem>> items);
  void Watchdog();
  void OnSignal(int signal);
  void Reload();
  void BeginStop(const char* why);
  void MaybeFinish();
  void Publish();
  void StoreWrite(const Status& st, const std::string& what);
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
  SharedPieces shared;
  Metrics metrics;
  Notifier notifier;
  asio::io_context io;
  asio::steady_timer tick_timer, rescan_timer, watchdog_timer, discovery_timer;
  asio::signal_set signals;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Scheduler> scheduler;
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<StatusServer> status;
  std::string host;
  bool stopping = false;
  bool polling = false;
  bool tick_pending = false;
  std::optional<std::chrono::microseconds> watchdog_period;
};

Status Service::Loop::TrackConfigThreads(const config::Config& c) {
  const Timestamp now = clock->WallNow();
  for (const config::ThreadEntry& t : c.threads) {
    Result<model::QuestionId> id = options.parse_thread(t.url);
    if (!id.ok()) return id.status().WithContext(c.source + ":" + std::to_string(t.line));
    Result<bool> added = store->AddThread({std::string(store::kZhihu), *id}, now);
    if (!added.ok()) return added.status();
    if (*added) spdlog::info("tracking zhihu:{} (from the configuration)", *id);
  }
  return Status::Ok();
}

Status Service::Loop::StartStatus() {
  metrics.SetBrowserSource([this] {
    const pipeline::SharedBrowser::Report r = browser.report();
    BrowserMetrics m;
    m.backend_is_browser = browser_backend.load();
    m.starts = r.starts;
    m.crashes = r.crashes;
    m.page_loads = r.page_loads;
    m.requests_blocked = r.requests_blocked;
    m.start_error = r.start_error;
    return m;
  });
  if (config->daemon.status_listen.empty()) return Status::Ok();
  Result<std::unique_ptr<StatusServer>> server = StatusServer::Start(
      config->daemon.status_listen, [this](const std::string& path) -> HttpReply {
        const auto t = clock->SteadyNow();
        if (path == "/healthz") {
          Health h = metrics.HealthAt(t, options.stall_after);
          return {h.ok ? 200 : 503, "text/plain; charset=utf-8", h.reason + "\n"};
        }
        if (path == "/metrics") {
          return {200, "text/plain; version=0.0.4; charset=utf-8",
                  metrics.RenderPrometheus(t, options.stall_after)};
        }
        return {404, "text/plain; charset=utf-8", "try /healthz or /metrics\n"};
      });
  if (!server.ok()) return server.status();
  status = std::move(*server);
  svc.status_port_ = status->port();
  return Status::Ok();
}

int Service::Loop::Start() {
  Result<std::unique_ptr<store::Store>> opened = options.open_store(*config);
  if (!opened.ok()) {
    spdlog::critical("cannot open the store {}: {}", config->store_path,
                     opened.status().ToString());
    return 1;
  }
  store = std::move(*opened);
  // Fail fast when refreshes cannot even be set up (e.g. an unreadable cookies file).
  Result<std::unique_ptr<Refresher>> probe = options.refreshers(*config, shared);
  if (!probe.ok()) {
    spdlog::critical("cannot set up refreshes: {}", probe.status().ToString());
    return 1;
  }
  probe->reset();
  if (Status st = TrackConfigThreads(*config); !st.ok()) {
    spdlog::critical("{}", st.ToString());
    return 1;
  }
  host = fetch::HostOf(config->zhihu.base_url);
  browser_backend = config->fetch.backend == "browser";
  const int workers = config->fetch.concurrency;
  scheduler = std::make_unique<Scheduler>(*clock, SchedulerOptionsOf(*config, options, workers),
                                          options.seed);
  Rescan();  // loads every active thread with its persisted schedule
  if (Status st = StartStatus(); !st.ok()) {
    spdlog::critical("{}", st.ToString());
    return 1;
  }
  pool = std::make_unique<WorkerPool>(workers, options.refreshers, options.hot_lists, shared,
                                      config);
  signals.async_wait([this](const asio::error_code& ec, int sig) {
    if (!ec) OnSignal(sig);
  });
  metrics.Beat(clock->SteadyNow());
  Publish();
  notifier.Ready(StatusLine());
  const std::string& listen = config->daemon.status_listen;
  spdlog::info("archivist daemon ready: store {}, {} threads tracked, status {}",
               config->store_path, scheduler->tracked(),
               status ? listen.substr(0, listen.rfind(':') + 1) + std::to_string(status->port())
                      : "off");
  ScheduleTick(std::chrono::milliseconds(0));
  rescan_timer.expires_after(options.rescan);
  rescan_timer.async_wait([this](const asio::error_code& ec) {
    if (!ec) Rescan();
  });
  watchdog_period = Notifier::WatchdogPeriod();  // read once: $WATCHDOG_USEC is per process
  if (watchdog_period) Watchdog();
  if (config->discovery.zhihu_hot) Poll();
  return 0;
}

void Service::Loop::ScheduleTick(std::chrono::milliseconds after) {
  if (stopping) return;
  if (after.count() == 0) {
    if (tick_pending) return;
    tick_pending = true;
    asio::post(io, [this] {
      tick_pending = false;
      Tick();
    });
    return;
  }
  tick_timer.expires_after(after);
  tick_timer.async_wait([this](const asio::error_code& ec) {
    if (!ec) Tick();
  });
}

void Service::Loop::Tick() {
  metrics.Beat(clock->SteadyNow());
  if (stopping) return;
  Scheduler::Tick t = scheduler->Next();
  for (const store::ThreadKey& key : t.retire) {
    StoreWrite(store->SetTracking(key, store::Tracking::kRetired),
               "retiring " + store::ToString(key));
    spdlog::info("retired {}: its discovery period is over (kept, no longer refreshed)",
                 store::ToString(key));
  }
  for (const store::ThreadKey& key : t.start) {
    pool->Submit([this, key](WorkerTools& tools) {
      Result<pipeline::RefreshSummary> done =
          tools.refresher ? Result<pipeline::RefreshSummary>(tools.refresher->Refresh(key))
                          : Result<pipeline::RefreshSummary>(tools.refresher_status);
      asio::post(io, [this, key, done = std::move(done)]() mutable {
        OnRefreshed(key, std::move(done));
      });
    });
  }
  Publish();
  ScheduleTick(options.tick);
}

// A refresh that could not even be set up on its worker (e.g. a cookies file unreadable since
// a reload) fetched and stored nothing: it is retried like a transient failure, and it is no
// store failure (the store's health is not its business).
void Service::Loop::OnRefreshed(const store::ThreadKey& key,
                                Result<pipeline::RefreshSummary> done) {
  if (!done.ok()) {
    const store::Schedule next =
        scheduler->Finish(key, {model::Outcome::kTransient, false, std::nullopt});
    StoreWrite(store->SetSchedule(key, next), "saving the schedule of " + store::ToString(key));
    spdlog::error("refresh {} not started: cannot set up the refresh: {}", store::ToString(key),
                  done.status().ToString());
    return AfterRefresh();
  }
  const pipeline::RefreshSummary& s = *done;
  const store::Schedule next =
      scheduler->Finish(key, {s.outcome, s.EventCount() > 0, s.retry_after_seconds});
  metrics.RecordRefresh(s);
  if (!s.error.ok()) {
    metrics.SetStoreProblem(s.error.ToString());
    spdlog::error("refresh {} {}: NOT STORED: {}", store::ToString(key),
                  model::OutcomeName(s.outcome), s.error.ToString());
  } else {
    StoreWrite(store->SetSchedule(key, next), "saving the schedule of " + store::ToString(key));
  }
  const int64_t in_s = (next.next_due.micros() - clock->WallNow().micros()) / 1'000'000;
  const RefreshLine line = FormatRefresh(key, s, in_s);
  if (line.warning) {
    spdlog::warn("{}", line.text);
  } else {
    spdlog::info("{}", line.text);
  }
  AfterRefresh();
}

void Service::Loop::AfterRefresh() {
  if (stopping) return MaybeFinish();
  Publish();
  ScheduleTick(std::chrono::milliseconds(0));
}

void Service::Loop::StoreWrite(const Status& st, const std::string& what) {
  if (st.ok()) {
    metrics.SetStoreProblem("");
    return;
  }
  metrics.SetStoreProblem(what + ": " + st.ToString());
  spdlog::error("store write failed, {}: {}", what, st.ToString());
}

void Service::Loop::Rescan() {
  // The store must stay writable even when nothing is written for hours.
  if (::access(config->store_path.c_str(), W_OK) != 0) {
    metrics.SetStoreProblem(config->store_path + ": " + std::strerror(errno));
  }
  Result<std::vector<store::ThreadSummary>> threads = store->ListThreads();
  if (!threads.ok()) {
    spdlog::error("cannot list the tracked threads: {}", threads.status().ToString());
  } else {
    for (const store::ThreadSummary& t : *threads) {
      if (t.tracking != store::Tracking::kActive) {
        scheduler->Untrack(t.key);
      } else if (!scheduler->IsTracked(t.key)) {
        scheduler->Track({t.key, host, t.schedule, t.discovered ? t.track_until : std::nullopt});
      }
    }
  }
  if (stopping || !pool) return;  // the first call, from Start, arms no timer
  rescan_timer.expires_after(options.rescan);
  rescan_timer.async_wait([this](const asio::error_code& ec) {
    if (!ec) Rescan();
  });
  ScheduleTick(std::chrono::milliseconds(0));
}

void Service::Loop::Poll() {
  if (stopping || polling) return;
  polling = true;
  pool->Submit([this](WorkerTools& tools) {
    Result<std::vector<model::HotItem>> items =
        tools.hot_list ? tools.hot_list->HotList()
                       : Result<std::vector<model::HotItem>>(tools.hot_list_status);
    asio::post(io, [this, items = std::move(items)]() mutable { OnHotList(std::move(items)); });
  });
}

void Service::Loop::OnHotList(Result<std::vector<model::HotItem>> items) {
  polling = false;
  if (stopping) return MaybeFinish();
  int added = 0;
  if (!items.ok()) {
    spdlog::warn("hot list: {}", items.status().ToString());
  } else {
    Result<std::vector<DiscoveredThread>> r =
        AddDiscovered(*store, *items, clock->WallNow(), config->discovery.track_for);
    if (!r.ok()) {
      StoreWrite(r.status(), "adding discovered threads");
    } else {
      for (const DiscoveredThread& d : *r) {
        scheduler->Track({d.key, host, std::nullopt, d.track_until});
        spdlog::info("discovered {} on the hot list: tracked until {}", store::ToString(d.key),
                     d.track_until.ToIso8601());
      }
      added = static_cast<int>(r->size());
      spdlog::info("hot list: {} questions, {} new", items->size(), added);
    }
  }
  metrics.RecordDiscovery(items.ok(), added);
  if (config->discovery.zhihu_hot) {
    discovery_timer.expires_after(config->discovery.interval);
    discovery_timer.async_wait([this](const asio::error_code& ec) {
      if (!ec) Poll();
    });
  }
  ScheduleTick(std::chrono::milliseconds(0));
}

void Service::Loop::Watchdog() {
  notifier.Watchdog();
  watchdog_timer.expires_after(*watchdog_period);
  watchdog_timer.async_wait([this](const asio::error_code& ec) {
    if (!ec) Watchdog();
  });
}

void Service::Loop::OnSignal(int sig) {
  if (sig == SIGHUP) {
    Reload();
  } else {
    BeginStop(sig == SIGTERM ? "SIGTERM" : "SIGINT");
  }
  signals.async_wait([this](const asio::error_code& ec, int next) {
    if (!ec) OnSignal(next);
  });
}

void Service::Loop::Reload() {
  spdlog::info("SIGHUP: reloading the configuration");
  Result<config::Config> fresh = options.reload_config();
  if (!fresh.ok()) {
    spdlog::error("the new configuration is refused, the old one stays: {}",
                  fresh.status().message());
    return;
  }
  if (fresh->store_path != config->store_path ||
      fresh->daemon.status_listen != config->daemon.status_listen) {
    spdlog::warn("store.path and daemon.status_listen change only with a restart");
    fresh->store_path = config->store_path;
    fresh->daemon.status_listen = config->daemon.status_listen;
  }
  if (Status st = TrackConfigThreads(*fresh); !st.ok()) {
    spdlog::error("the new configuration is refused, the old one stays: {}", st.ToString());
    return;
  }
  WarnAboutRestartOnlyKeys(svc.config_.fetch, *fresh);
  if (browser.report().in_use && fresh->fetch.backend == "browser") {
    WarnAboutTheRunningBrowser(*config, *fresh);
  }
  const bool was_polling = config->discovery.zhihu_hot;
  if (fresh->fetch.backend != config->fetch.backend) {
    spdlog::info("fetch.backend is now {} (from the next refresh on)", fresh->fetch.backend);
  }
  config = std::make_shared<const config::Config>(std::move(*fresh));
  host = fetch::HostOf(config->zhihu.base_url);
  browser_backend = config->fetch.backend == "browser";
  SchedulerOptions scheduling = SchedulerOptionsOf(*config, options, pool->size());
  scheduling.per_host_concurrency =  // the politeness keeps its limit of the start
      std::min(scheduling.per_host_concurrency, svc.config_.fetch.per_host_concurrency);
  scheduler->SetOptions(scheduling);
  pool->SetConfig(config);
  if (config->discovery.zhihu_hot && !was_polling) Poll();
  if (!config->discovery.zhihu_hot) discovery_timer.cancel();
  spdlog::info("configuration reloaded from {}", config->source.empty() ? "defaults" : config->source);
  Rescan();
}

void Service::Loop::BeginStop(const char* why) {
  if (stopping) {
    spdlog::warn("{}: still waiting for {} refresh(es) in flight", why, scheduler->in_flight());
    return;
  }
  stopping = true;
  metrics.SetStopping();
  spdlog::info("{}: stopping; waiting for {} refresh(es) in flight", why, scheduler->in_flight());
  notifier.Stopping("stopping: " + std::to_string(scheduler->in_flight()) + " in flight");
  tick_timer.cancel();
  rescan_timer.cancel();
  discovery_timer.cancel();
  MaybeFinish();
}

void Service::Loop::MaybeFinish() {
  if (scheduler->in_flight() > 0 || polling) return;
  watchdog_timer.cancel();
  signals.cancel();
  if (status) status->Stop();
  pool->Stop();
  spdlog::info("stopped");
  io.stop();
}

std::string Service::Loop::StatusLine() const {
  return std::to_string(scheduler->tracked()) + " threads, " + std::to_string(scheduler->due()) +
         " due, " + std::to_string(scheduler->failing()) + " failing, " +
         std::to_string(scheduler->in_flight()) + " in flight";
}

void Service::Loop::Publish() {
  metrics.SetGauges(scheduler->tracked(), scheduler->due(), scheduler->failing(),
                    scheduler->in_flight());
  if (!stopping) notifier.Status(StatusLine());
}

Service::Service(config::Config config, ServiceOptions options)
    : config_(std::move(config)), options_(std::move(options)) {
  if (!options_.open_store) {
    options_.open_store = OpenConfiguredStore;
  }
  if (!options_.parse_thread) options_.parse_thread = fetch::ParseQuestionRef;
}

Service::~Service() = default;

int Service::Run() {
  Loop loop(*this, config_);
  if (int rc = loop.Start(); rc != 0) return rc;
  {
    std::lock_guard lock(mu_);
    loop_ = &loop;
    if (stop_requested_) asio::post(loop.io, [&loop] { loop.BeginStop("stop request"); });
  }
  loop.io.run();
  {
    std::lock_guard lock(mu_);
    loop_ = nullptr;
  }
  status_port_ = 0;
  return 0;
}

void Service::RequestStop() {
  std::lock_guard lock(mu_);
  stop_requested_ = true;
  if (loop_ != nullptr) {
    Loop* loop = loop_;
    asio::post(loop->io, [loop] { loop->BeginStop("stop request"); });
  }
}

}  // namespace archivist::daemon
