// FetchObserver: what the retrying client tells whoever runs it about retries, waits and
// requests on the wire, so that an operator can see them (docs/operations.md "Logs" and
// "Metrics"; the one-shot verbs' stderr, docs/cli.md).
//
// fetch/ knows no logging and no metrics: the daemon implements this interface to log at info
// and count into /metrics (daemon/fetch_log.h); `archivist refresh` and `fetch` implement it
// to print on stderr. RetryingHttpClient calls it from the thread that runs PerformAll:
//   - OnRequestStart before a request goes out, OnResponse when it is back (any status, or a
//     transport error), with the time it started: a request in flight long is a stalled host;
//   - OnRetry when a transient failure will be retried, with the reason, the HTTP status and
//     the delay (the server's Retry-After, which also backs the whole host off, or backoff);
//   - OnWait after the client waited before it could start a request, with what made it wait.
//
// Thread-safety: one observer may serve every worker of a process: implementations must be
// thread-safe. The observer is borrowed and must outlive the clients that call it.
#ifndef ARCHIVIST_FETCH_FETCH_OBSERVER_H_
#define ARCHIVIST_FETCH_FETCH_OBSERVER_H_

#include <string>
#include <string_view>

#include "base/clock.h"
#include "fetch/http_client.h"

namespace archivist::fetch {

// What a wait was for.
enum class WaitKind {
  kPoliteness,  // the host's minimum delay between starts, or a concurrency limit
  kBackoff,     // a delay before a retry, or the host's back-off after a Retry-After (which
                // holds every request to it)
};
std::string_view WaitKindName(WaitKind kind);  // "politeness", "backoff"

struct RetryEvent {
  std::string url;
  std::string host;
  std::string reason;  // RetryReason of the failed attempt: "http_429", "timeout", …
  int status = 0;      // the HTTP status; 0 for a transport error
  int attempt = 0;     // attempts made so far (1 after the first failure)
  int max_attempts = 0;
  Clock::Duration delay{};
  bool retry_after = false;  // the delay is the server's Retry-After (the host is backed off)
};

// "http_<status>" for a response, else the transport error's name ("timeout", "reset", …).
std::string RetryReason(const HttpResponse& r);

// "20s", "1.5s", "250ms": a delay for a person.
std::string FormatDelay(Clock::Duration d);

// A retry for a person and a log: "retry https://…/feeds?… in 20s: reason=http_429
// status=429 retry_after=20s attempt=1/3" (status 0 for a transport error; retry_after only
// when the delay is the server's, which then holds the whole host). The daemon logs it, the
// one-shot verbs print it.
std::string DescribeRetry(const RetryEvent& event);

class FetchObserver {
 public:
  virtual ~FetchObserver() = default;
  virtual void OnRequestStart(const std::string& host, Clock::SteadyTime started) = 0;
  // `started` is the value OnRequestStart had for this request; `now` is when it came back.
  virtual void OnResponse(const std::string& host, const HttpResponse& response,
                          Clock::SteadyTime started, Clock::SteadyTime now) = 0;
  virtual void OnRetry(const RetryEvent& event) = 0;
  // `host` is the first request's that was waited for; `waited` as measured on the Clock.
  virtual void OnWait(WaitKind kind, const std::string& host, Clock::Duration waited) = 0;
};

}  // namespace archivist::fetch

#endif  // ARCHIVIST_FETCH_FETCH_OBSERVER_H_
