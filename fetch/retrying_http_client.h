// RetryingHttpClient: politeness and retries around any HttpClient.
//
// Each request takes a Politeness slot before it starts (per-host in-flight limit, minimum
// delay between starts to one host, global limit) and gives it back when done. Transient
// failures are retried with exponential backoff and jitter: attempt k (k = 1 after the first
// failure) waits min(max_backoff, base_backoff * 2^(k-1)) times a uniform factor in
// [1 - jitter, 1]. Transient means: timeout, connect failure, reset, a body cut short, HTTP
// 500/502/503/504, and 429. For 429 and 503, a Retry-After header (seconds or HTTP-date) sets
// the wait instead, and backs the whole host off until then; a Retry-After longer than
// `max_retry_after` is not waited for: the response is returned as it is so the caller can
// report `rate_limited` and reschedule. Nothing else is retried (4xx, too large, redirects).
//
// A FetchObserver (RetryOptions::observer) hears of every request, response, retry and wait
// (fetch/fetch_observer.h): the client itself logs nothing.
//
// All waiting goes through Clock::SleepFor, so on a FakeClock tests run without sleeping.
// With a CancelToken (RetryOptions::cancel), waits end within CancelToken::kSlice of the
// cancellation, and every request not yet answered is returned as TransportError::kCancelled
// without another attempt.
//
// Thread-safety: one instance per thread; the Politeness may be shared.
#ifndef ARCHIVIST_FETCH_RETRYING_HTTP_CLIENT_H_
#define ARCHIVIST_FETCH_RETRYING_HTTP_CLIENT_H_

#include <chrono>
#include <optional>
#include <random>
#include <string_view>

#include "base/cancel.h"
#include "base/clock.h"
#include "base/time.h"
#include "fetch/fetch_observer.h"
#include "fetch/http_client.h"
#include "fetch/politeness.h"

namespace archivist::fetch {

struct RetryOptions {
  int max_attempts = 3;  // attempts per request, the first included; 1 = no retries
  Clock::Duration base_backoff = std::chrono::seconds(1);
  Clock::Duration max_backoff = std::chrono::seconds(60);
  Clock::Duration max_retry_after = std::chrono::seconds(120);
  double jitter = 0.5;
  const CancelToken* cancel = nullptr;  // borrowed; null: never cancelled
  FetchObserver* observer = nullptr;    // borrowed; null: nobody is told
};

// Parses a Retry-After value: delta-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015
// 07:28:00 GMT", also the RFC 850 and asctime forms) relative to `now`. A date in the past is
// 0 s. nullopt when the value is neither.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, Timestamp now);

// True when the response is worth another attempt (see the header comment).
bool IsTransient(const HttpResponse& r);

class RetryingHttpClient final : public HttpClient {
 public:
  RetryingHttpClient(HttpClient& inner, Clock& clock, Politeness& politeness,
                     RetryOptions options, uint64_t seed = 0x7e7);

  std::vector<HttpResponse> PerformAll(const std::vector<HttpRequest>& requests) override;

  // Attempts made by the last PerformAll, summed over its requests.
  int last_attempts() const { return last_attempts_; }

 private:
  struct Delay {
    Clock::Duration wait{};
    bool retry_after = false;  // the server's Retry-After
  };
  // How long to wait before the next attempt, or nullopt to give up and return `r`.
  std::optional<Delay> RetryDelay(const HttpResponse& r, int attempts_made);
  // Sleeps `wait` (or until a slot is released, for kWaitForRelease) and tells the observer.
  void Wait(Clock::Duration wait, WaitKind kind, const std::string& host);

  HttpClient& inner_;
  Clock& clock_;
  Politeness& politeness_;
  RetryOptions options_;
  std::mt19937_64 rng_;
  int last_attempts_ = 0;
};

}  // namespace archivist::fetch

#endif  // ARCHIVIST_FETCH_RETRYING_HTTP_CLIENT_H_
