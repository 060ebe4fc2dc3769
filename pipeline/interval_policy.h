// IntervalPolicy: how often one thread is refreshed, the rules the daemon's scheduler
// (daemon/scheduler.h) and a one-shot `archivist refresh` (pipeline/schedule.h) share, so
// that a thread keeps the same schedule whichever of them refreshes it. Pure functions of
// their arguments: no clock, no store, no I/O.
//
//   - each thread has an interval in [min, max] (a new one starts at `initial`); after a
//     refresh with changes it is divided by `factor`, after one without multiplied by it;
//     next_due = now + interval·U[1-jitter, 1+jitter];
//   - a failure never changes the interval; the failed thread is retried after
//     min(interval, min_interval·2^(failures-1));
//   - a host-level failure (rate_limited, blocked, transient, auth_required) backs off the
//     host: Retry-After when the server sent one, else backoff_base·2^(n-1), capped at
//     backoff_max. The failed thread is not retried before that.
//
// Thread-safety: functions of their arguments (Jittered draws from the generator it is lent).
#ifndef ARCHIVIST_PIPELINE_INTERVAL_POLICY_H_
#define ARCHIVIST_PIPELINE_INTERVAL_POLICY_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

#include "base/time.h"
#include "model/model.h"

namespace archivist::pipeline {

struct IntervalPolicy {
  std::chrono::seconds min_interval{600};
  std::chrono::seconds max_interval{7 * 86400};
  std::chrono::seconds initial_interval{1800};
  double factor = 1.5;   // shrink ÷factor after a change, grow ×factor after none
  double jitter = 0.1;   // next_due spread: interval·U[1-jitter, 1+jitter]
  std::chrono::seconds host_backoff_base{30};
  std::chrono::seconds host_backoff_max{3600};
};

// Whether an outcome is the host's fault (back off the host) or the thread's; a success is
// a complete, partial or not-modified listing.
bool IsHostFailure(model::Outcome outcome);
bool IsSuccess(model::Outcome outcome);

// `interval_s` clamped into [min, max].
int64_t ClampInterval(const IntervalPolicy& p, int64_t interval_s);
// The interval a thread starts from: its persisted one (clamped), or `initial` when it has
// none (0 = never scheduled).
int64_t StartingInterval(const IntervalPolicy& p, int64_t persisted_interval_s);
// The interval after a successful refresh that did (or did not) record a change.
int64_t AdaptedInterval(const IntervalPolicy& p, int64_t interval_s, bool changed);
// The delay before a failed thread is tried again, after `failures` failures in a row (≥ 1).
int64_t RetryDelay(const IntervalPolicy& p, int64_t interval_s, int failures);
// How long a host is left alone after `failures` host-level failures in a row (≥ 1).
int64_t HostBackoff(const IntervalPolicy& p, int failures, std::optional<int64_t> retry_after_s);
// now + seconds·U[1-jitter, 1+jitter] (one draw from `rng`).
Timestamp Jittered(const IntervalPolicy& p, Timestamp now, int64_t seconds, std::mt19937_64& rng);
// t + seconds.
Timestamp PlusSeconds(Timestamp t, int64_t seconds);

}  // namespace archivist::pipeline

#endif  // ARCHIVIST_PIPELINE_INTERVAL_POLICY_H_
