// The daemon's watchdog, signals, configuration reload and stop: the parts of the event loop
// (service_loop.h) that react to systemd and to the operator rather than to refreshes.
#include <spdlog/spdlog.h>

#include <csignal>

#include "daemon/service_loop.h"

namespace archivist::daemon {

void Service::Loop::Watchdog() {
  notifier.Watchdog();
  watchdog_timer.expires_after(*watchdog_period);
  watchdog_timer.async_wait([this](const asio::error_code& ec) {
    if (!ec) Watchdog();
  });
}

// Every few seconds: a host that stalls (a request in flight for long, failures in a row) is
// logged while it lasts, and again when it answers, not only when the slow request ends.
void Service::Loop::WatchHosts() {
  for (const HostState& h : metrics.StallChanges(clock->SteadyNow())) {
    if (h.stalled) {
      spdlog::warn("host stalled: {}", h.Describe());
    } else {
      spdlog::info("host answers again: {}", h.host);
    }
  }
  host_timer.expires_after(std::chrono::seconds(2));
  host_timer.async_wait([this](const asio::error_code& ec) {
    if (!ec) WatchHosts();
  });
}

void Service::Loop::OnSignal(int sig) {
  if (sig == SIGHUP) {
    Reload();
  } else {
    BeginStop(sig == SIGTERM ? "SIGTERM" : "SIGINT", 128 + sig);
  }
  signals.async_wait([this](const asio::error_code& ec, int next) {
    if (!ec) OnSignal(next);
  });
}

void Service::Loop::Reload() {
  spdlog::info("SIGHUP: reloading the configuration");
  if (damaged) {
    spdlog::error("the configuration is not reloaded: the archive is damaged (restore it, then "
                  "restart the daemon)");
    return;
  }
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
    FoundDamage(st);
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
  hooks.SetHooks(config->notify);
  if (config->discovery.zhihu_hot && !was_polling) Poll();
  if (!config->discovery.zhihu_hot) discovery_timer.cancel();
  spdlog::info("configuration reloaded from {}", config->source.empty() ? "defaults" : config->source);
  Rescan();
}

void Service::Loop::BeginStop(const char* why, int forced_status) {
  if (stopping) {
    if (forced_status == 0) return;  // RequestStop again: the stop is under way
    spdlog::warn("{} again: exiting now, without waiting for {} refresh(es) in flight (what "
                 "they had not committed is not stored)", why, scheduler->in_flight());
    return options.exit_now(forced_status);
  }
  stopping = true;
  metrics.SetStopping();
  if (options.cancel != nullptr) options.cancel->Cancel();
  spdlog::info("{}: stopping; cancelling {} refresh(es) in flight", why, scheduler->in_flight());
  notifier.Stopping("stopping: " + std::to_string(scheduler->in_flight()) + " in flight");
  tick_timer.cancel();
  rescan_timer.cancel();
  discovery_timer.cancel();
  stop_timer.expires_after(options.stop_grace);
  stop_timer.async_wait([this](const asio::error_code& ec) {
    if (ec) return;
    spdlog::warn("{} refresh(es) still in flight {} ms after the stop: exiting without them",
                 scheduler->in_flight(), options.stop_grace.count());
    options.exit_now(1);
  });
  MaybeFinish();
}

void Service::Loop::MaybeFinish() {
  if (scheduler->in_flight() > 0 || polling) return;
  stop_timer.cancel();
  watchdog_timer.cancel();
  host_timer.cancel();
  signals.cancel();
  if (status) status->Stop();
  pool->Stop();
  Deregister();  // releases this daemon's leases at once
  spdlog::info("stopped");
  io.stop();
}

}  // namespace archivist::daemon
