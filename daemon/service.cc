// The daemon's event loop. See service.h for what it does; this file is the wiring of start,
// ticks, refreshes, rescans, discovery and health (the watchdog, signals, reload and stop are
// in service_signals.cc; the Loop's state in service_loop.h).
//
// Ownership: Loop lives on Run()'s stack and owns the io_context, the timers, the loop's
// Store, the Scheduler, the WorkerPool and the StatusServer. Workers post their results back
// with asio::post, so every Scheduler and Store call of the loop happens on the loop thread.
// Stopping cancels the in-flight refreshes (options.cancel) and waits for them to return
// workers and the status thread before Run returns: nothing outlives the Loop.
#include "daemon/service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "base/archive_location.h"
#include "daemon/service_loop.h"

namespace archivist::daemon {

Status Service::Loop::TrackConfigThreads(const config::Config& c) {
  const Timestamp now = clock->WallNow();
  for (const config::ThreadEntry& t : c.threads) {
    Result<model::QuestionId> id = options.parse_thread(t.url);
    if (!id.ok()) return id.status().WithContext(c.source + ":" + std::to_string(t.line));
    // Only threads the archive has never seen: a removed one stays removed.
    Result<bool> added = AddConfiguredThread(*store, {std::string(store::kZhihu), *id}, now);
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
  Result<config::ListenAddress> address = config::ParseListenAddress(config->daemon.status_listen);
  if (address.ok() && !address->loopback) {
    spdlog::warn("daemon.status_listen: {}", config::ExposureWarning(*address));
  }
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
  status_address = address->WithPort(status->port());
  return Status::Ok();
}

int Service::Loop::Start() {
  notifier.Status("checking the archive " + RedactLocation(config->store_path));
  Result<std::unique_ptr<store::Store>> opened = options.open_store(*config);
  if (!opened.ok()) {
    spdlog::critical("cannot open the store {}: {}", RedactLocation(config->store_path),
                     opened.status().ToString());
    return opened.status().code() == Status::Code::kCorruption ? kExitArchiveDamaged : 1;
  }
  store = std::move(*opened);
  if (Status st = Register(); !st.ok()) {
    spdlog::critical("cannot register this daemon in the archive: {}", st.ToString());
    return 1;
  }
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
  spdlog::info("archivist daemon ready: store {}, {} threads tracked, status {}",
               RedactLocation(config->store_path), scheduler->tracked(), status ? status_address : "off");
  ScheduleTick(std::chrono::milliseconds(0));
  rescan_timer.expires_after(options.rescan);
  rescan_timer.async_wait([this](const asio::error_code& ec) {
    if (!ec) Rescan();
  });
  WatchHosts();
  Heartbeat();
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

// options.tick, or less when the scheduler's next wakeup comes sooner (never 0: a due thread
// that cannot start now waits for a refresh to end, which ticks at once).
std::chrono::milliseconds Service::Loop::UntilNextWakeup() const {
  const std::optional<Timestamp> wake = scheduler->NextWakeup();
  const int64_t now = clock->WallNow().micros();
  if (!wake || wake->micros() <= now) return options.tick;
  const auto until = std::chrono::milliseconds((wake->micros() - now + 999) / 1000);
  return std::clamp(until, std::chrono::milliseconds(10), options.tick);
}

void Service::Loop::Tick() {
  metrics.Beat(clock->SteadyNow());
  if (stopping) return;
  if (damaged) {  // keep beating and answering /healthz, start nothing
    Publish();
    return ScheduleTick(options.tick);
  }
  Scheduler::Tick t = scheduler->Next();
  for (const store::ThreadKey& key : t.retire) {
    StoreWrite(store->SetTracking(key, store::Tracking::kRetired),
               "retiring " + store::ToString(key));
    spdlog::info("retired {}: its discovery period is over (kept, no longer refreshed)",
                 store::ToString(key));
  }
  const int proposed = static_cast<int>(t.start.size());
  StartClaimed(t.start);  // service_claims.cc: the store decides who refreshes what
  Publish();
  // A refused claim frees its slot: propose the next due threads at once. Else wake at the
  // next due time when it comes before the next tick (a thread deferred to the end of a dead
  // daemon's lease is taken over as that lease ends).
  if (proposed > 0 && scheduler->in_flight() < scheduler->options().concurrency &&
      scheduler->due() > 0) {
    return ScheduleTick(std::chrono::milliseconds(0));
  }
  ScheduleTick(UntilNextWakeup());
}

// A refresh that could not even be set up on its worker (e.g. a cookies file unreadable since
// a reload) fetched and stored nothing: it is retried like a transient failure, and it is no
// store failure (the store's health is not its business).
void Service::Loop::OnRefreshed(const store::ThreadKey& key,
                                Result<pipeline::RefreshSummary> done) {
  if (!done.ok()) {
    const store::Schedule next =
        scheduler->Finish(key, {model::Outcome::kTransient, false, std::nullopt});
    Release(key, next);
    spdlog::error("refresh {} not started: cannot set up the refresh: {}", store::ToString(key),
                  done.status().ToString());
    return AfterRefresh();
  }
  const pipeline::RefreshSummary& s = *done;
  const store::Schedule next =
      scheduler->Finish(key, {s.outcome, s.EventCount() > 0, s.retry_after_seconds, s.fetched,
                              s.error.ok()});
  if (s.cancelled) {  // only a stop cancels; the thread stays due for the next start
    Release(key, std::nullopt);
    spdlog::info("refresh {} cancelled by the stop: nothing of it was stored", store::ToString(key));
    return MaybeFinish();
  }
  metrics.RecordRefresh(s);
  if (!s.error.ok()) {
    if (!FoundDamage(s.error)) metrics.SetStoreProblem(s.error.ToString());
    spdlog::error("refresh {} {}: NOT STORED: {}", store::ToString(key), model::OutcomeName(s.outcome),
                  s.error.ToString());
    if (!damaged) Release(key, std::nullopt);
  } else if (!damaged) {
    Release(key, next);  // stores the schedule with the claim's end
  }
  if (s.committed && s.error.ok()) hooks.Post({s.thread, s.title, s.events});
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
  FoundDamage(st);
  metrics.SetStoreProblem(what + ": " + st.ToString());
  spdlog::error("store write failed, {}: {}", what, st.ToString());
}

// SQLite reports damage on the first read that meets it (kCorruption from the store). From
// then on the loop starts no refresh and writes nothing, and /healthz says why, until the
// archive is restored and the daemon restarted (the start check then refuses a damaged file).
bool Service::Loop::FoundDamage(const Status& st) {
  if (st.code() != Status::Code::kCorruption) return false;
  if (!damaged) {
    damaged = true;
    metrics.SetArchiveDamaged(st.message());
    spdlog::critical("the archive is damaged; no more refreshes or writes until it is restored "
                     "and the daemon restarted: {}", st.message());
    Publish();
  }
  return true;
}

void Service::Loop::Rescan() {
  // The store must stay writable even when nothing is written for hours.
  if (!IsDatabaseUri(config->store_path) && ::access(config->store_path.c_str(), W_OK) != 0) {
    metrics.SetStoreProblem(config->store_path + ": " + std::strerror(errno));
  }
  Result<std::vector<store::ThreadSummary>> threads = store->ListThreads();
  if (!threads.ok()) {
    FoundDamage(threads.status());
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
  if (stopping || polling || damaged) return;
  if (!PollHere()) {  // another daemon polls, or polled within the interval
    discovery_timer.expires_after(config->discovery.interval);
    discovery_timer.async_wait([this](const asio::error_code& ec) {
      if (!ec) Poll();
    });
    return;
  }
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
  // The archive's stamp of the last poll, for the other daemons and timer runs: losing it
  // costs only an early poll, so a failure is no store problem.
  if (Status st = store->SetMark(pipeline::kHotListMark, clock->WallNow()); !st.ok()) {
    spdlog::warn("hot list: cannot record the poll's time: {}", st.ToString());
  }
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

std::string Service::Loop::StatusLine() const {
  return std::string(damaged ? "ARCHIVE DAMAGED, stopped refreshing (see the log); " : "") +
         std::to_string(scheduler->tracked()) + " threads, " + std::to_string(scheduler->due()) +
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
  if (!options_.exit_now) options_.exit_now = [](int status) { std::_Exit(status); };
}

Service::~Service() = default;

int Service::Run() {
  Loop loop(*this, config_);
  if (int rc = loop.Start(); rc != 0) {
    if (loop.store) loop.Deregister();  // a start that failed after registering
    return rc;
  }
  {
    std::lock_guard lock(mu_);
    loop_ = &loop;
    if (stop_requested_) asio::post(loop.io, [&loop] { loop.BeginStop("stop request", 0); });
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
    asio::post(loop->io, [loop] { loop->BeginStop("stop request", 0); });
  }
}

}  // namespace archivist::daemon
