// FetchLog: the daemon's fetch::FetchObserver. Every retry, back-off and wait is logged at
// info (reason, HTTP status, delay), a politeness wait under 5 s at debug (every request has
// one: the per-host delay), a response slower than kHostStalledAfter at info; and all of them
// are counted into Metrics (retries by reason, responses by status, seconds waited, requests
// in flight and failures in a row per host). docs/operations.md "Logs" and "Metrics".
//
// Thread-safety: thread-safe (spdlog's logger and Metrics are); one instance serves every
// worker of the daemon and must outlive them.
#ifndef ARCHIVIST_DAEMON_FETCH_LOG_H_
#define ARCHIVIST_DAEMON_FETCH_LOG_H_

#include <string>

#include "daemon/metrics.h"
#include "fetch/fetch_observer.h"

namespace archivist::daemon {

class FetchLog final : public fetch::FetchObserver {
 public:
  explicit FetchLog(Metrics& metrics) : metrics_(metrics) {}

  void OnRequestStart(const std::string& host, Clock::SteadyTime started) override;
  void OnResponse(const std::string& host, const fetch::HttpResponse& response,
                  Clock::SteadyTime started, Clock::SteadyTime now) override;
  void OnRetry(const fetch::RetryEvent& event) override;
  void OnWait(fetch::WaitKind kind, const std::string& host, Clock::Duration waited) override;

 private:
  Metrics& metrics_;
};

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_FETCH_LOG_H_
