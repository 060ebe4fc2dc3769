#include "daemon/metrics.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "base/archive_location.h"
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

// A label value: no quote, backslash or line break may end it early.
std::string Label(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\' || c == '\n') continue;
    out += c;
  }
  return out;
}

}  // namespace

int64_t StoreSizeBytes(const std::string& path) {
  int64_t total = 0;
  if (IsDatabaseUri(path)) return 0;  // not a file on this machine
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
  if (s.superseded) ++superseded_;
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

std::string HostState::Describe() const {
  std::string out = host + ":";
  if (in_flight_for >= kHostStalledAfter) {
    out += " a request in flight for " + std::to_string(in_flight_for.count()) + "s";
  }
  if (consecutive_failures > 0) {
    out += (out.back() == ':' ? " " : ", ") + std::to_string(consecutive_failures) +
           " failed attempts in a row";
  }
  return out.back() == ':' ? out + " ok" : out;
}

void Metrics::RequestStarted(const std::string& host, SteadyTime started) {
  std::lock_guard lock(mu_);
  hosts_[host].in_flight.insert(started);
}

void Metrics::RequestEnded(const std::string& host, SteadyTime started, std::string status,
                           bool failed) {
  std::lock_guard lock(mu_);
  Host& h = hosts_[host];
  if (auto it = h.in_flight.find(started); it != h.in_flight.end()) h.in_flight.erase(it);
  h.failures = failed ? h.failures + 1 : 0;
  ++responses_[std::move(status)];
}

void Metrics::RecordRetry(const std::string& reason) {
  std::lock_guard lock(mu_);
  ++retries_[reason];
}

void Metrics::RecordWait(std::string_view kind, double seconds) {
  std::lock_guard lock(mu_);
  waits_[std::string(kind)] += seconds;
}

std::vector<HostState> Metrics::HostsLocked(SteadyTime now) const {
  std::vector<HostState> out;
  for (const auto& [name, h] : hosts_) {
    HostState s;
    s.host = name;
    if (!h.in_flight.empty() && now > *h.in_flight.begin()) {
      s.in_flight_for = std::chrono::duration_cast<std::chrono::seconds>(now - *h.in_flight.begin());
    }
    s.consecutive_failures = h.failures;
    s.stalled = s.in_flight_for >= kHostStalledAfter || h.failures >= kHostFailingAfter;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<HostState> Metrics::Hosts(SteadyTime now) const {
  std::lock_guard lock(mu_);
  return HostsLocked(now);
}

std::vector<HostState> Metrics::StallChanges(SteadyTime now) {
  std::lock_guard lock(mu_);
  std::vector<HostState> changed;
  for (HostState& s : HostsLocked(now)) {
    if (s.stalled == stalled_.contains(s.host)) continue;
    if (s.stalled) {
      stalled_.insert(s.host);
    } else {
      stalled_.erase(s.host);
    }
    changed.push_back(std::move(s));
  }
  return changed;
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

void Metrics::SetDaemonId(std::string id) {
  std::lock_guard lock(mu_);
  daemon_id_ = std::move(id);
}

void Metrics::RecordClaims(int claimed, int refused, int takeovers) {
  std::lock_guard lock(mu_);
  claimed_ += claimed;
  refused_ += refused;
  takeovers_ += takeovers;
}

void Metrics::RecordRelease(bool still_held) {
  std::lock_guard lock(mu_);
  ++releases_;
  if (!still_held) ++lease_expiries_;
}

void Metrics::SetThreadsHeld(int held) {
  std::lock_guard lock(mu_);
  threads_held_ = held;
}

// Under mu_.
void Metrics::RenderClaims(std::ostringstream& o) const {
  Head(o, "daemon_info", "gauge", "This daemon's id and its archive (password redacted).");
  o << "archivist_daemon_info{id=\"" << Label(daemon_id_) << "\",store=\""
    << Label(RedactLocation(store_path_)) << "\"} 1\n";
  Head(o, "claims_total", "counter", "Claims of threads by result (refused: another daemon has it).");
  o << "archivist_claims_total{result=\"claimed\"} " << claimed_ << '\n';
  o << "archivist_claims_total{result=\"refused\"} " << refused_ << '\n';
  Head(o, "refreshes_superseded_total", "counter",
       "Refreshes dropped at their commit because another refresh of the thread committed "
       "after their fetch began (two refreshes of one thread at once).");
  o << "archivist_refreshes_superseded_total " << superseded_ << '\n';
  Head(o, "claim_takeovers_total", "counter",
       "Claims of threads whose previous lease had expired unreleased.");
  o << "archivist_claim_takeovers_total " << takeovers_ << '\n';
  Head(o, "lease_expiries_total", "counter",
       "Leases of this daemon that expired and were taken over before it released them.");
  o << "archivist_lease_expiries_total " << lease_expiries_ << '\n';
  Head(o, "claim_releases_total", "counter", "Claims released after a refresh.");
  o << "archivist_claim_releases_total " << releases_ << '\n';
  Head(o, "threads_held", "gauge", "Threads under this daemon's lease.");
  o << "archivist_threads_held " << threads_held_ << '\n';
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
  Head(o, "fetch_retries_total", "counter", "Retried attempts by reason (http_429, timeout, ...).");
  for (const auto& [reason, n] : retries_) {
    o << "archivist_fetch_retries_total{reason=\"" << reason << "\"} " << n << '\n';
  }
  Head(o, "http_responses_total", "counter",
       "Responses by HTTP status, or by transport error (timeout, reset, ...).");
  for (const auto& [status, n] : responses_) {
    o << "archivist_http_responses_total{status=\"" << status << "\"} " << n << '\n';
  }
  Head(o, "fetch_wait_seconds_total", "counter",
       "Time spent waiting to start requests: politeness (per-host delay, slots) "
       "and backoff (before a retry, or a host held back by a Retry-After).");
  for (const auto& [kind, seconds] : waits_) {
    o << "archivist_fetch_wait_seconds_total{kind=\"" << kind << "\"} " << Number(seconds) << '\n';
  }
  const std::vector<HostState> hosts = HostsLocked(now);
  Head(o, "host_request_in_flight_seconds", "gauge",
       "Age of the oldest request in flight to the host (0: none).");
  for (const HostState& h : hosts) {
    o << "archivist_host_request_in_flight_seconds{host=\"" << Label(h.host) << "\"} "
      << h.in_flight_for.count() << '\n';
  }
  Head(o, "host_consecutive_failures", "gauge", "Failed attempts in a row to the host.");
  for (const HostState& h : hosts) {
    o << "archivist_host_consecutive_failures{host=\"" << Label(h.host) << "\"} "
      << h.consecutive_failures << '\n';
  }
  Head(o, "hosts_stalled", "gauge",
       "Hosts with a request in flight for 15 s or more, or 3 or more failed attempts in a row.");
  o << "archivist_hosts_stalled "
    << std::count_if(hosts.begin(), hosts.end(), [](const HostState& h) { return h.stalled; })
    << '\n';
  RenderClaims(o);
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
