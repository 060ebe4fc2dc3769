#include "daemon/metrics.h"

#include <sys/stat.h>

#include <cstdio>
#include <sstream>

#include "model/change.h"

namespace archivist::daemon {
namespace {

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

void Head(std::ostringstream& o, const char* name, const char* type, const char* help) {
  o << "# HELP archivist_" << name << ' ' << help << "\n# TYPE archivist_" << name << ' '
    << type << '\n';
}

}  // namespace

int64_t StoreSizeBytes(const std::string& path) {
  int64_t total = 0;
  for (const std::string& p : {path, path + "-wal"}) {
    struct stat st;
    if (::stat(p.c_str(), &st) == 0) total += st.st_size;
  }
  return total;
}

void Metrics::RecordRefresh(const pipeline::RefreshSummary& s) {
  std::lock_guard lock(mu_);
  ++refreshes_[std::string(model::OutcomeName(s.outcome))];
  if (!s.error.ok()) ++store_errors_;
  for (int k = 0; k < kEventKinds; ++k) events_[k] += s.Count(static_cast<model::EventKind>(k));
  const double seconds = std::chrono::duration<double>(s.fetch_duration).count();
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  ++buckets_[b];
  duration_sum_ += seconds;
  ++duration_count_;
}

void Metrics::RecordDiscovery(bool ok, int added) {
  std::lock_guard lock(mu_);
  ++(ok ? polls_ok_ : polls_failed_);
  discovered_ += added;
}

void Metrics::SetGauges(int tracked, int due, int failing, int in_flight) {
  std::lock_guard lock(mu_);
  tracked_ = tracked;
  due_ = due;
  failing_ = failing;
  in_flight_ = in_flight;
}

void Metrics::Beat(SteadyTime now) {
  std::lock_guard lock(mu_);
  last_beat_ = now;
}

void Metrics::SetStoreProblem(std::string problem) {
  std::lock_guard lock(mu_);
  store_problem_ = std::move(problem);
}

void Metrics::SetArchiveDamaged(std::string reason) {
  std::lock_guard lock(mu_);
  if (damaged_.empty()) damaged_ = std::move(reason);
}

void Metrics::SetStopping() {
  std::lock_guard lock(mu_);
  stopping_ = true;
}

void Metrics::SetBrowserSource(std::function<BrowserMetrics()> source) {
  std::lock_guard lock(mu_);
  browser_source_ = std::move(source);
}

BrowserMetrics Metrics::Browser() const {
  std::function<BrowserMetrics()> source;
  {
    std::lock_guard lock(mu_);
    source = browser_source_;
  }
  return source ? source() : BrowserMetrics{};
}

Health Metrics::HealthAt(SteadyTime now, std::chrono::seconds stall_after) const {
  const BrowserMetrics browser = Browser();
  std::lock_guard lock(mu_);
  return HealthLocked(now, stall_after, browser);
}

Health Metrics::HealthLocked(SteadyTime now, std::chrono::seconds stall_after,
                             const BrowserMetrics& browser) const {
  if (!damaged_.empty()) return {false, "archive damaged: " + damaged_};
  if (!last_beat_) return {false, "event loop not started"};
  const auto silent = std::chrono::duration_cast<std::chrono::seconds>(now - *last_beat_);
  if (silent > stall_after) {
    return {false, "event loop stalled for " + std::to_string(silent.count()) + "s"};
  }
  if (!store_problem_.empty()) return {false, "store not writable: " + store_problem_};
  if (stopping_) return {false, "stopping"};
  if (browser.backend_is_browser && !browser.start_error.empty()) {
    return {false, "browser cannot start: " + browser.start_error};
  }
  return {true, "ok"};
}

std::string Metrics::RenderPrometheus(SteadyTime now, std::chrono::seconds stall_after) const {
  const int64_t store_size = StoreSizeBytes(store_path_);
  const BrowserMetrics browser = Browser();
  std::lock_guard lock(mu_);
  std::ostringstream o;
  Head(o, "up", "gauge", "1 when the daemon is healthy (see /healthz), else 0.");
  o << "archivist_up " << (HealthLocked(now, stall_after, browser).ok ? 1 : 0) << '\n';
  Head(o, "archive_damaged", "gauge", "1 once the archive was found damaged (see /healthz).");
  o << "archivist_archive_damaged " << (damaged_.empty() ? 0 : 1) << '\n';
  Head(o, "refreshes_total", "counter", "Finished refreshes by fetch outcome.");
  for (const auto& [outcome, n] : refreshes_) {
    o << "archivist_refreshes_total{outcome=\"" << outcome << "\"} " << n << '\n';
  }
  Head(o, "refresh_store_errors_total", "counter", "Refreshes whose commit to the store failed.");
  o << "archivist_refresh_store_errors_total " << store_errors_ << '\n';
  Head(o, "events_total", "counter", "Recorded events by kind.");
  for (int k = 0; k < kEventKinds; ++k) {
    o << "archivist_events_total{kind=\""
      << model::EventKindName(static_cast<model::EventKind>(k)) << "\"} " << events_[k] << '\n';
  }
  Head(o, "threads_tracked", "gauge", "Threads the scheduler refreshes.");
  o << "archivist_threads_tracked " << tracked_ << '\n';
  Head(o, "threads_due", "gauge", "Threads due now and not yet started.");
  o << "archivist_threads_due " << due_ << '\n';
  Head(o, "threads_failing", "gauge", "Threads whose last refresh failed.");
  o << "archivist_threads_failing " << failing_ << '\n';
  Head(o, "refreshes_in_flight", "gauge", "Refreshes running now.");
  o << "archivist_refreshes_in_flight " << in_flight_ << '\n';
  Head(o, "fetch_duration_seconds", "histogram", "Time spent fetching one thread.");
  int64_t cumulative = 0;
  for (size_t b = 0; b < kBuckets.size(); ++b) {
    cumulative += buckets_[b];
    o << "archivist_fetch_duration_seconds_bucket{le=\"" << Number(kBuckets[b]) << "\"} "
      << cumulative << '\n';
  }
  cumulative += buckets_[kBuckets.size()];
  o << "archivist_fetch_duration_seconds_bucket{le=\"+Inf\"} " << cumulative << '\n';
  o << "archivist_fetch_duration_seconds_sum " << Number(duration_sum_) << '\n';
  o << "archivist_fetch_duration_seconds_count " << duration_count_ << '\n';
  Head(o, "store_size_bytes", "gauge", "Size of the archive database and its WAL.");
  o << "archivist_store_size_bytes " << store_size << '\n';
  Head(o, "discovery_polls_total", "counter", "Hot-list polls by result.");
  o << "archivist_discovery_polls_total{result=\"ok\"} " << polls_ok_ << '\n';
  o << "archivist_discovery_polls_total{result=\"failed\"} " << polls_failed_ << '\n';
  Head(o, "threads_discovered_total", "counter", "Threads added by discovery.");
  o << "archivist_threads_discovered_total " << discovered_ << '\n';
  Head(o, "browser_starts_total", "counter", "Browser launches (browser backend).");
  o << "archivist_browser_starts_total " << browser.starts << '\n';
  Head(o, "browser_crashes_total", "counter", "Times the browser was found dead.");
  o << "archivist_browser_crashes_total " << browser.crashes << '\n';
  Head(o, "browser_page_loads_total", "counter", "Pages the browser opened (fetches, probes, hot lists).");
  o << "archivist_browser_page_loads_total " << browser.page_loads << '\n';
  Head(o, "browser_requests_blocked_total", "counter",
       "Requests of pages the browser refused (other hosts, images, media, fonts).");
  o << "archivist_browser_requests_blocked_total " << browser.requests_blocked << '\n';
  return o.str();
}

}  // namespace archivist::daemon
