// RetryingHttpClient: batches under politeness, retries on a clock.
//
// PerformAll keeps a list of pending requests, each with its attempt count and the earliest
// time it may start. Each round it walks the list in order and puts into one batch every
// request that is due and gets a Politeness slot; the batch goes to the inner client (which
// runs it concurrently), slots are released, finished requests are stored, retryable ones get
// a new earliest start. When nothing can start, it sleeps on the Clock until the earliest
// moment something can (or, when other threads hold every slot, waits for a release).
#include "fetch/retrying_http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace archivist::fetch {

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, Timestamp now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  int64_t secs = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), secs);
  if (ec == std::errc() && ptr == value.data() + value.size()) {
    if (secs < 0) return std::nullopt;
    return std::chrono::seconds(secs);
  }
  const std::string text(value);
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == static_cast<time_t>(-1)) return std::nullopt;
  return std::chrono::seconds(std::max<int64_t>(0, static_cast<int64_t>(when) - now.seconds()));
}

bool IsTransient(const HttpResponse& r) {
  switch (r.error) {
    case TransportError::kTimeout:
    case TransportError::kConnect:
    case TransportError::kReset:
    case TransportError::kTruncated: return true;
    case TransportError::kNone: break;
    default: return false;
  }
  return r.status == 429 || r.status == 500 || r.status == 502 || r.status == 503 ||
         r.status == 504;
}

RetryingHttpClient::RetryingHttpClient(HttpClient& inner, Clock& clock, Politeness& politeness,
                                       RetryOptions options, uint64_t seed)
    : inner_(inner), clock_(clock), politeness_(politeness), options_(options), rng_(seed) {}

std::optional<RetryingHttpClient::Delay> RetryingHttpClient::RetryDelay(const HttpResponse& r,
                                                                        int attempts_made) {
  if (!IsTransient(r) || attempts_made >= options_.max_attempts) return std::nullopt;
  if (r.status == 429 || r.status == 503) {
    if (auto ra = ParseRetryAfter(r.Header("retry-after"), clock_.WallNow())) {
      if (*ra > options_.max_retry_after) return std::nullopt;
      return Delay{std::chrono::duration_cast<Clock::Duration>(*ra), true};
    }
  }
  auto backoff = options_.base_backoff;
  for (int k = 1; k < attempts_made && backoff < options_.max_backoff; ++k) backoff *= 2;
  backoff = std::min(backoff, options_.max_backoff);
  std::uniform_real_distribution<double> factor(1.0 - std::clamp(options_.jitter, 0.0, 1.0), 1.0);
  return Delay{std::chrono::duration_cast<Clock::Duration>(backoff * factor(rng_)), false};
}

void RetryingHttpClient::Wait(Clock::Duration wait, WaitKind kind, const std::string& host) {
  const Clock::SteadyTime before = clock_.SteadyNow();
  if (wait == Politeness::kWaitForRelease) {
    politeness_.WaitForRelease(std::chrono::milliseconds(100));
  } else if (options_.cancel != nullptr) {
    (void)options_.cancel->SleepFor(clock_, wait);
  } else {
    clock_.SleepFor(wait);
  }
  const Clock::Duration waited = clock_.SteadyNow() - before;
  if (options_.observer != nullptr && waited > Clock::Duration::zero()) {
    options_.observer->OnWait(kind, host, waited);
  }
}

std::vector<HttpResponse> RetryingHttpClient::PerformAll(const std::vector<HttpRequest>& requests) {
  struct Pending {
    size_t index;
    std::string host;
    int attempts = 0;
    Clock::SteadyTime not_before{};
  };
  std::vector<HttpResponse> out(requests.size());
  std::vector<Pending> pending;
  for (size_t i = 0; i < requests.size(); ++i) pending.push_back({i, HostOf(requests[i].url)});
  last_attempts_ = 0;
  while (!pending.empty()) {
    if (Cancelled(options_.cancel)) {
      for (const Pending& p : pending) {
        out[p.index].error = TransportError::kCancelled;
        out[p.index].error_message = "shutting down";
      }
      break;
    }
    const Clock::SteadyTime now = clock_.SteadyNow();
    std::vector<Pending*> batch;
    Clock::Duration wait = Politeness::kWaitForRelease;
    WaitKind kind = WaitKind::kPoliteness;
    const std::string* wait_host = &pending.front().host;
    for (Pending& p : pending) {
      if (p.not_before > now) {
        if (p.not_before - now < wait) {
          wait = p.not_before - now;
          kind = WaitKind::kBackoff;
          wait_host = &p.host;
        }
        continue;
      }
      bool backed_off = false;
      const Clock::Duration d = politeness_.TryAcquire(p.host, &backed_off);
      if (d == Clock::Duration::zero()) {
        batch.push_back(&p);
      } else if (d < wait) {
        wait = d;
        kind = backed_off ? WaitKind::kBackoff : WaitKind::kPoliteness;
        wait_host = &p.host;
      }
    }
    if (batch.empty()) {
      Wait(wait, kind, *wait_host);
      continue;
    }
    std::vector<HttpRequest> reqs;
    for (Pending* p : batch) {
      reqs.push_back(requests[p->index]);
      if (options_.observer != nullptr) options_.observer->OnRequestStart(p->host, now);
    }
    std::vector<HttpResponse> got = inner_.PerformAll(reqs);
    const Clock::SteadyTime after = clock_.SteadyNow();
    for (size_t j = 0; j < batch.size(); ++j) {
      Pending& p = *batch[j];
      politeness_.Release(p.host);
      ++p.attempts;
      ++last_attempts_;
      if (options_.observer != nullptr) options_.observer->OnResponse(p.host, got[j], now, after);
      if (auto delay = RetryDelay(got[j], p.attempts)) {
        p.not_before = after + delay->wait;
        if (got[j].status == 429 || got[j].status == 503) politeness_.BackOff(p.host, p.not_before);
        if (options_.observer != nullptr) {
          options_.observer->OnRetry({requests[p.index].url, p.host, RetryReason(got[j]),
                                      got[j].transport_ok() ? got[j].status : 0, p.attempts,
                                      options_.max_attempts, delay->wait, delay->retry_after});
        }
      } else {
        out[p.index] = std::move(got[j]);
        p.index = SIZE_MAX;  // done
      }
    }
    std::erase_if(pending, [](const Pending& p) { return p.index == SIZE_MAX; });
  }
  return out;
}

}  // namespace archivist::fetch
