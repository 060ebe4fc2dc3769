// Metrics: the daemon's counters and gauges, its health, and their Prometheus text form.
//
// The event loop records into it; the status listener (another thread) renders it. Health
// is "ok" when the loop has beaten within `stall_after`, the archive is not damaged and no
// store write is failing; else the reason ("archive damaged: …", "event loop stalled for
// 42s", "store not writable: …", "stopping").
//
// Metric names (all prefixed archivist_):
//   refreshes_total{outcome}        counter: finished refreshes by fetch outcome
//   refresh_store_errors_total      counter: refreshes whose commit failed
//   events_total{kind}              counter: recorded events by kind
//   threads_tracked, threads_due, threads_failing, refreshes_in_flight   gauges
//   fetch_duration_seconds          histogram of the fetch part of each refresh
//   store_size_bytes                gauge: the database file plus its WAL
//   discovery_polls_total{result}   counter: hot-list polls (ok / failed)
//   threads_discovered_total        counter
//   browser_starts_total            counter: browser launches (browser backend)
//   browser_crashes_total           counter: times the browser was found dead
//   browser_page_loads_total        counter: pages the browser opened (fetch, probe, hot list)
//   browser_requests_blocked_total  counter: requests the browser's policy refused
//   fetch_retries_total{reason}     counter: retried attempts by reason (http_429, timeout, …)
//   http_responses_total{status}    counter: responses by HTTP status, or the transport error
//   fetch_wait_seconds_total{kind}  counter: time spent waiting to start requests: politeness
//                                   (per-host delay, slots) and backoff (a retry's delay, a
//                                   host held back by a Retry-After)
//   host_request_in_flight_seconds{host}  gauge: age of the oldest request in flight to it
//   host_consecutive_failures{host} gauge: failed attempts in a row (0 after a success)
//   hosts_stalled                   gauge: hosts stalled now (HostState::stalled)
//   up                              1 while healthy, else 0
// While the backend is `browser`, a browser whose last start failed makes the daemon
// unhealthy ("browser cannot start: …") until a start succeeds.
//
//   archive_damaged                 gauge: 1 once the archive was found damaged (sticky)
//
// Claims by lease (a shared PostgreSQL archive; a file archive's claims are always granted):
//   claims_total{result}            counter: claims asked of the store (claimed / refused:
//                                   another daemon holds the thread or refreshed it since)
//   claim_takeovers_total           counter: claims of a thread whose previous lease had
//                                   expired unreleased (its daemon died or stalled)
//   lease_expiries_total            counter: leases of this daemon found expired and taken
//                                   over by another when it released them
//   claim_releases_total            counter: claims released after a refresh
//   refreshes_superseded_total      counter: refreshes dropped at their commit because another
//                                   refresh of the thread committed since their fetch began
//                                   (two at once: the claims make it 0)
//   threads_held                    gauge: threads under this daemon's lease (last heartbeat)
//   daemon_info{id,store}           1: this daemon's id and its archive (a URI's password
//                                   redacted, base/archive_location.h)
//
// Thread-safety: every method is thread-safe (one internal mutex).
#ifndef ARCHIVIST_DAEMON_METRICS_H_
#define ARCHIVIST_DAEMON_METRICS_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>
#include <string>

#include "pipeline/pipeline.h"

namespace archivist::daemon {

inline constexpr int kEventKinds = model::kEventKindCount;  // model::EventKind values

// What the browser backend's browser did (pipeline::SharedBrowser::Report, and the backend).
struct BrowserMetrics {
  bool backend_is_browser = false;
  uint64_t starts = 0, crashes = 0, page_loads = 0, requests_blocked = 0;
  std::string start_error;  // why the last start failed; "" when it did not
};

// One host the fetchers talk to, as seen now.
struct HostState {
  std::string host;
  std::chrono::seconds in_flight_for{0};  // the oldest request in flight; 0 when none
  int consecutive_failures = 0;
  bool stalled = false;  // in flight for kHostStalledAfter, or kHostFailingAfter failures
  std::string Describe() const;  // "www.zhihu.com: a request in flight for 42s"
};
inline constexpr std::chrono::seconds kHostStalledAfter{15};
inline constexpr int kHostFailingAfter = 3;

struct Health {
  bool ok = true;
  std::string reason;  // "ok" or why not
};

class Metrics {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  explicit Metrics(std::string store_path) : store_path_(std::move(store_path)) {}

  void RecordRefresh(const pipeline::RefreshSummary& summary);
  void RecordDiscovery(bool ok, int added);
  void SetGauges(int tracked, int due, int failing, int in_flight);
  // The loop is alive at `now` (steady time, from the service's Clock).
  void Beat(SteadyTime now);
  // A store write failed (`problem` non-empty) or succeeded again ("").
  void SetStoreProblem(std::string problem);
  // The archive is damaged (`reason` non-empty): unhealthy until the process ends.
  void SetArchiveDamaged(std::string reason);
  void SetStopping();
  // Claims by lease (see above).
  void SetDaemonId(std::string id);
  void RecordClaims(int claimed, int refused, int takeovers);
  void RecordRelease(bool still_held);  // false: the lease had been taken over
  void SetThreadsHeld(int held);
  // Where the browser's counts come from (called by HealthAt and RenderPrometheus, outside
  // the lock, on the status listener's thread: it must be thread-safe). Default: none.
  void SetBrowserSource(std::function<BrowserMetrics()> source);

  // What the fetchers report (daemon/fetch_log.h). A request is known by its host and start.
  void RequestStarted(const std::string& host, SteadyTime started);
  void RequestEnded(const std::string& host, SteadyTime started, std::string status, bool failed);
  void RecordRetry(const std::string& reason);
  void RecordWait(std::string_view kind, double seconds);
  std::vector<HostState> Hosts(SteadyTime now) const;
  // Hosts whose stall began or ended since the last call: (host state, stalled now). The
  // service logs them, so that a stall is in the log while it lasts, not only after.
  std::vector<HostState> StallChanges(SteadyTime now);

  Health HealthAt(SteadyTime now, std::chrono::seconds stall_after) const;
  std::string RenderPrometheus(SteadyTime now, std::chrono::seconds stall_after) const;

  // The histogram's upper bounds, in seconds (the last bucket, +Inf, is implicit).
  static constexpr std::array<double, 11> kBuckets = {0.1, 0.25, 0.5, 1,  2.5, 5,
                                                       10,  30,   60,  120, 300};

 private:
  Health HealthLocked(SteadyTime now, std::chrono::seconds stall_after,
                      const BrowserMetrics& browser) const;
  BrowserMetrics Browser() const;
  void RenderClaims(std::ostringstream& o) const;
  std::vector<HostState> HostsLocked(SteadyTime now) const;

  const std::string store_path_;
  mutable std::mutex mu_;
  std::map<std::string, int64_t> refreshes_;  // by outcome name
  int64_t store_errors_ = 0;
  std::array<int64_t, kEventKinds> events_{};
  int tracked_ = 0, due_ = 0, failing_ = 0, in_flight_ = 0;
  std::array<int64_t, kBuckets.size() + 1> buckets_{};  // not cumulative; last = +Inf
  double duration_sum_ = 0;
  int64_t duration_count_ = 0;
  int64_t polls_ok_ = 0, polls_failed_ = 0, discovered_ = 0;
  std::optional<SteadyTime> last_beat_;
  std::string store_problem_;
  std::string damaged_;
  bool stopping_ = false;
  std::function<BrowserMetrics()> browser_source_;  // set once, before the listener starts
  struct Host {
    std::multiset<SteadyTime> in_flight;  // the starts of the requests in flight
    int failures = 0;                     // in a row
  };
  std::map<std::string, Host> hosts_;
  std::set<std::string> stalled_;  // as last told by StallChanges
  std::map<std::string, int64_t> retries_, responses_;  // by reason, by status
  std::map<std::string, double> waits_ = {{"backoff", 0}, {"politeness", 0}};
  std::string daemon_id_;
  int64_t superseded_ = 0;  // refreshes dropped at commit: another refresh of the thread won
  int64_t claimed_ = 0, refused_ = 0, takeovers_ = 0, lease_expiries_ = 0, releases_ = 0;
  int threads_held_ = 0;
};

// The size in bytes of an SQLite database and its -wal file (0 for missing files).
int64_t StoreSizeBytes(const std::string& path);

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_METRICS_H_
