// The interval policy shared by the daemon's scheduler and one-shot refreshes. Why the
// numbers are what they are is explained at the top of daemon/scheduler.cc.
#include "pipeline/interval_policy.h"

#include <algorithm>
#include <cmath>

namespace archivist::pipeline {
namespace {

constexpr int64_t kMicros = 1'000'000;

}  // namespace

bool IsHostFailure(model::Outcome o) {
  using model::Outcome;
  return o == Outcome::kRateLimited || o == Outcome::kBlocked || o == Outcome::kTransient ||
         o == Outcome::kAuthRequired;
}

bool IsSuccess(model::Outcome o) {
  using model::Outcome;
  return o == Outcome::kComplete || o == Outcome::kPartial || o == Outcome::kNotModified;
}

int64_t ClampInterval(const IntervalPolicy& p, int64_t interval_s) {
  return std::clamp<int64_t>(interval_s, p.min_interval.count(), p.max_interval.count());
}

int64_t StartingInterval(const IntervalPolicy& p, int64_t persisted_interval_s) {
  return ClampInterval(p, persisted_interval_s > 0 ? persisted_interval_s
                                                   : p.initial_interval.count());
}

int64_t AdaptedInterval(const IntervalPolicy& p, int64_t interval_s, bool changed) {
  const double next = changed ? interval_s / p.factor : interval_s * p.factor;
  return ClampInterval(p, std::llround(next));
}

int64_t RetryDelay(const IntervalPolicy& p, int64_t interval_s, int failures) {
  const int shift = std::clamp(failures - 1, 0, 30);
  return std::min<int64_t>(interval_s, p.min_interval.count() << shift);
}

int64_t HostBackoff(const IntervalPolicy& p, int failures, std::optional<int64_t> retry_after_s) {
  int64_t seconds;
  if (retry_after_s && *retry_after_s >= 0) {
    seconds = *retry_after_s;
  } else {
    seconds = p.host_backoff_base.count() << std::clamp(failures - 1, 0, 30);
  }
  return std::min<int64_t>(seconds, p.host_backoff_max.count());
}

Timestamp Jittered(const IntervalPolicy& p, Timestamp now, int64_t seconds,
                   std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(1.0 - p.jitter, 1.0 + p.jitter);
  const double micros = static_cast<double>(seconds) * kMicros * u(rng);
  return Timestamp::FromMicros(now.micros() + std::llround(micros));
}

Timestamp PlusSeconds(Timestamp t, int64_t seconds) {
  return Timestamp::FromMicros(t.micros() + seconds * kMicros);
}

}  // namespace archivist::pipeline
