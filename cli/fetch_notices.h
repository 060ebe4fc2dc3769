// FetchNotices: the one-shot verbs' fetch::FetchObserver (`refresh`, `fetch`). Each retry (a
// retry that ended well included), each back-off before one, a politeness wait of 5 s or more
// (a host held back by a Retry-After) and a response that took 15 s or more is one line on
// stderr: "archivist VERB: retry https://… in 20s: reason=http_429 status=429 retry_after=20s
// attempt=1/3" — the daemon logs the same (daemon/fetch_log.h). `--quiet` passes no observer.
//
// Thread-safety: thread-safe (one line per fprintf, under a mutex).
#ifndef ARCHIVIST_CLI_FETCH_NOTICES_H_
#define ARCHIVIST_CLI_FETCH_NOTICES_H_

#include <mutex>
#include <string>

#include "fetch/fetch_observer.h"

namespace archivist::cli {

class FetchNotices final : public fetch::FetchObserver {
 public:
  explicit FetchNotices(std::string verb);

  void OnRequestStart(const std::string&, Clock::SteadyTime) override {}
  void OnResponse(const std::string& host, const fetch::HttpResponse& response,
                  Clock::SteadyTime started, Clock::SteadyTime now) override;
  void OnRetry(const fetch::RetryEvent& event) override;
  void OnWait(fetch::WaitKind kind, const std::string& host, Clock::Duration waited) override;

 private:
  void Print(const std::string& text);

  const std::string verb_;
  const bool terminal_;  // stderr is a terminal: a progress bar may be on the line
  std::mutex mu_;
};

}  // namespace archivist::cli

#endif  // ARCHIVIST_CLI_FETCH_NOTICES_H_
