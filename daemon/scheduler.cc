// The scheduler: adaptive intervals, host backoff, and a fair queue.
//
// Every tracked thread not in flight sits in one ordered set keyed by (next_due, name).
// Next() walks that set from the front while entries are due, starting each one whose host
// has a free slot and no backoff, until the global limit is reached. A backed-off or busy
// host does not block the others (the walk skips its threads rather than stopping), and since
// a refreshed thread is re-queued at now + interval, which is later than the due time of
// every thread still waiting, a thread that has waited longest is always first in line:
// with 1,000 threads due at once, each is refreshed once before any is refreshed twice.
//
// Intervals adapt multiplicatively (÷1.5 after a change, ×1.5 after none), clamped to
// [min, max]. The interval settles where half the refreshes see a change: for edits arriving
// at random with a mean gap T (a Poisson process) that is ln 2·T ≈ 0.7 T, about one refresh
// per change (simulated: 1.2–1.3 refreshes per T); for strictly periodic changes it is T/2,
// two refreshes per period, which still catches every change. A thread that never changes
// reaches max after log1.5(max/initial) refreshes (14 from 30 min to 7 days).
//
// Failures never touch the interval: a blocked or rate-limited fetch says nothing about
// how often the thread changes. They back off the host instead, exponentially from
// host_backoff_base, or for exactly Retry-After when the server said so (the server knows
// best), both capped at host_backoff_max so one bad day cannot park a host for a week.
// A success resets the host's failure count. The failed thread itself is retried after
// min(interval, min_interval·2^(failures-1)): never less often than its interval, never
// hammering a thread whose every fetch fails, and never before its host's backoff ends.
//
// Jitter spreads next_due by ±10% so that threads added together drift apart instead of
// all coming due in the same second forever.
#include "daemon/scheduler.h"

#include <algorithm>
#include <cmath>

namespace archivist::daemon {

using pipeline::ClampInterval;
using pipeline::PlusSeconds;

Scheduler::Scheduler(Clock& clock, SchedulerOptions options, uint64_t seed)
    : clock_(clock), options_(options), policy_(options.policy), rng_(seed) {}

std::string Scheduler::Name(const store::ThreadKey& key) {
  return store::ToString(key);
}

void Scheduler::Enqueue(Entry& e) { queue_.insert({e.next_due.micros(), Name(e.key)}); }
void Scheduler::Dequeue(const Entry& e) { queue_.erase({e.next_due.micros(), Name(e.key)}); }

void Scheduler::SetOptions(const SchedulerOptions& options) {
  options_ = options;
  policy_ = options.policy;
  const Timestamp now = clock_.WallNow();
  for (auto& [name, e] : threads_) {
    e.interval_s = ClampInterval(policy_, e.interval_s);
    const Timestamp latest = PlusSeconds(now, e.interval_s);
    if (!e.in_flight && e.next_due > latest) {
      Dequeue(e);
      e.next_due = latest;
      Enqueue(e);
    }
  }
}

void Scheduler::Track(const TrackedThread& t) {
  const std::string name = Name(t.key);
  auto [it, inserted] = threads_.try_emplace(name);
  Entry& e = it->second;
  if (!inserted) {
    if (e.untracked) {
      e.untracked = false;
      --untracked_in_flight_;
    }
    e.host = t.host;
    e.track_until = t.track_until;
    return;
  }
  const Timestamp now = clock_.WallNow();
  e.key = t.key;
  e.host = t.host;
  e.track_until = t.track_until;
  e.interval_s = pipeline::StartingInterval(policy_, t.schedule ? t.schedule->interval_seconds : 0);
  if (t.schedule && t.schedule->interval_seconds > 0) {
    e.next_due = std::min(t.schedule->next_due, PlusSeconds(now, e.interval_s));
  } else {
    e.next_due = t.schedule ? t.schedule->next_due : now;
  }
  Enqueue(e);
}

void Scheduler::Untrack(const store::ThreadKey& key) {
  auto it = threads_.find(Name(key));
  if (it == threads_.end()) return;
  if (it->second.in_flight) {
    if (!it->second.untracked) ++untracked_in_flight_;
    it->second.untracked = true;
    return;
  }
  Dequeue(it->second);
  threads_.erase(it);
}

bool Scheduler::IsTracked(const store::ThreadKey& key) const {
  auto it = threads_.find(Name(key));
  return it != threads_.end() && !it->second.untracked;
}

Scheduler::Tick Scheduler::Next() {
  Tick tick;
  const Timestamp now = clock_.WallNow();
  for (auto it = threads_.begin(); it != threads_.end();) {
    Entry& e = it->second;
    if (!e.in_flight && e.track_until && *e.track_until <= now) {
      tick.retire.push_back(e.key);
      Dequeue(e);
      it = threads_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto q = queue_.begin(); q != queue_.end() && q->first <= now.micros();) {
    if (in_flight_ >= options_.concurrency) break;
    Entry& e = threads_.at(q->second);
    Host& host = hosts_[e.host];
    if (host.in_flight >= options_.per_host_concurrency || host.backed_off_until > now) {
      ++q;
      continue;
    }
    q = queue_.erase(q);
    e.in_flight = true;
    ++host.in_flight;
    ++in_flight_;
    tick.start.push_back(e.key);
  }
  return tick;
}

void Scheduler::BackOffHost(Host& host, Timestamp now, const RefreshReport& report) {
  ++host.failures;
  const int64_t seconds = pipeline::HostBackoff(policy_, host.failures, report.retry_after_seconds);
  host.backed_off_until = std::max(host.backed_off_until, PlusSeconds(now, seconds));
}

store::Schedule Scheduler::Finish(const store::ThreadKey& key, const RefreshReport& report) {
  const Timestamp now = clock_.WallNow();
  auto it = threads_.find(Name(key));
  if (it == threads_.end() || !it->second.in_flight) return {now, 0};  // a bug in the caller
  Entry& e = it->second;
  Host& host = hosts_[e.host];
  e.in_flight = false;
  --host.in_flight;
  --in_flight_;
  if (report.stored && IsSuccess(report.outcome)) {
    host.failures = 0;
    e.failures = 0;
    e.interval_s = pipeline::AdaptedInterval(policy_, e.interval_s, report.changed);
    e.next_due = pipeline::Jittered(policy_, now, e.interval_s, rng_);
  } else {
    if (report.fetched && IsHostFailure(report.outcome)) BackOffHost(host, now, report);
    ++e.failures;
    const int64_t retry = pipeline::RetryDelay(policy_, e.interval_s, e.failures);
    e.next_due = std::max(pipeline::Jittered(policy_, now, retry, rng_), host.backed_off_until);
  }
  const store::Schedule schedule{e.next_due, e.interval_s};
  if (e.untracked) {
    --untracked_in_flight_;
    threads_.erase(it);
  } else {
    Enqueue(e);
  }
  return schedule;
}

void Scheduler::Defer(const store::ThreadKey& key, Timestamp not_before) {
  auto it = threads_.find(Name(key));
  if (it == threads_.end() || !it->second.in_flight) return;  // a bug in the caller
  Entry& e = it->second;
  e.in_flight = false;
  --hosts_[e.host].in_flight;
  --in_flight_;
  if (e.untracked) {
    --untracked_in_flight_;
    threads_.erase(it);
    return;
  }
  e.next_due = not_before;
  Enqueue(e);
}

std::optional<Timestamp> Scheduler::NextWakeup() const {
  std::optional<Timestamp> best;
  auto consider = [&best](Timestamp t) {
    if (!best || t < *best) best = t;
  };
  for (const auto& [due, name] : queue_) {
    const Entry& e = threads_.at(name);
    auto h = hosts_.find(e.host);
    consider(h == hosts_.end() ? e.next_due : std::max(e.next_due, h->second.backed_off_until));
    if (best && Timestamp::FromMicros(due) >= *best) break;
  }
  for (const auto& [name, e] : threads_) {
    if (e.track_until && !e.in_flight) consider(*e.track_until);
  }
  return best;
}

std::optional<Timestamp> Scheduler::HostBackedOffUntil(const std::string& host) const {
  auto it = hosts_.find(host);
  if (it == hosts_.end() || it->second.backed_off_until <= clock_.WallNow()) return std::nullopt;
  return it->second.backed_off_until;
}

std::optional<store::Schedule> Scheduler::ScheduleOf(const store::ThreadKey& key) const {
  auto it = threads_.find(Name(key));
  if (it == threads_.end()) return std::nullopt;
  return store::Schedule{it->second.next_due, it->second.interval_s};
}

int Scheduler::due() const {
  const int64_t now = clock_.WallNow().micros();
  int n = 0;
  for (auto q = queue_.begin(); q != queue_.end() && q->first <= now; ++q) ++n;
  return n;
}

int Scheduler::failing() const {
  int n = 0;
  for (const auto& [name, e] : threads_) n += (e.failures > 0 && !e.untracked) ? 1 : 0;
  return n;
}

}  // namespace archivist::daemon
