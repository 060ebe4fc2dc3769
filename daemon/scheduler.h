// Scheduler: which tracked thread to refresh next, and when each is due again. Pure policy
// over a Clock: no I/O, no threads, no store. The service feeds it the tracked threads (with
// their persisted schedules), asks it which refreshes to start now, reports each outcome
// back, and persists the Schedule that Finish returns.
//
// Policy (docs/operations.md "Scheduling, in short"; the approach is explained in
// scheduler.cc; the per-thread rules are pipeline/interval_policy.h, which one-shot
// refreshes follow too):
//   - each thread has an interval in [min, max]; after a refresh with changes it is divided
//     by 1.5, after one without multiplied by 1.5; next_due = now + interval·U[1-j, 1+j];
//   - failures never change a thread's interval. Host-level failures (rate_limited, blocked,
//     transient, auth_required) back off the thread's host: base·2^(n-1), or Retry-After
//     when the server sent one, capped at host_backoff_max; no refresh starts on a backed-off
//     host. A failed thread is retried after min(interval, min_interval·2^(failures-1)),
//     never before its host's backoff ends;
//   - at most `concurrency` refreshes in flight, at most `per_host_concurrency` per host;
//     due threads start earliest-due first, so nothing starves;
//   - discovered threads are retired (handed back by Next, forgotten) once their
//     track_until has passed.
//
// Times are wall-clock Timestamps because next_due is persisted across restarts.
//
// Thread-safety: not thread-safe; the service calls it from its event loop only.
#ifndef ARCHIVIST_DAEMON_SCHEDULER_H_
#define ARCHIVIST_DAEMON_SCHEDULER_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/time.h"
#include "model/model.h"
#include "pipeline/interval_policy.h"
#include "store/store.h"

namespace archivist::daemon {

struct SchedulerOptions {
  pipeline::IntervalPolicy policy;  // intervals and host back-off, shared with one-shot refreshes
  int concurrency = 4;
  int per_host_concurrency = 1;
};

// A thread as the service hands it over.
struct TrackedThread {
  store::ThreadKey key;
  std::string host;                          // politeness key, e.g. "www.zhihu.com"
  std::optional<store::Schedule> schedule;   // persisted; unset = never scheduled (due now)
  std::optional<Timestamp> track_until;      // discovered threads: retire after this
};

// What the scheduler needs to know about a finished refresh.
struct RefreshReport {
  model::Outcome outcome = model::Outcome::kTransient;
  bool changed = false;                      // the refresh recorded at least one event
  std::optional<int64_t> retry_after_seconds;
  // A refresh the store failed (before the fetch, or at the commit) is the thread's failure,
  // retried as one, never its host's: only an outcome the source gave backs the host off.
  bool fetched = true;  // the source was asked
  bool stored = true;   // the refresh was committed (or had nothing to commit)
};

// Whether an outcome is the host's fault (back off the host) or the thread's.
using pipeline::IsHostFailure;
using pipeline::IsSuccess;

// The per-thread part of the options.
pipeline::IntervalPolicy PolicyOf(const SchedulerOptions& options);

class Scheduler {
 public:
  Scheduler(Clock& clock, SchedulerOptions options, uint64_t seed = 0x5eed);

  // Replaces the options (config reload). Intervals are clamped into the new range the next
  // time each thread is reported; a persisted next_due beyond now + max_interval is pulled in.
  void SetOptions(const SchedulerOptions& options);
  const SchedulerOptions& options() const { return options_; }

  // Adds a thread, or updates its host and track_until. A thread in flight keeps running.
  // A persisted schedule outside the current [min, max] is clamped.
  void Track(const TrackedThread& thread);
  // Forgets a thread. If it is in flight, its Finish still works (and is not re-queued).
  void Untrack(const store::ThreadKey& key);
  bool IsTracked(const store::ThreadKey& key) const;

  struct Tick {
    std::vector<store::ThreadKey> start;   // marked in flight; call Finish for each
    std::vector<store::ThreadKey> retire;  // discovered threads whose time is over; forgotten
  };
  // What to do now. Never exceeds the concurrency limits; skips backed-off hosts.
  Tick Next();

  // A refresh of `key` ended; returns the schedule to persist for it.
  store::Schedule Finish(const store::ThreadKey& key, const RefreshReport& report);

  // A refresh that Next handed out did not start: on a shared archive another daemon holds
  // the thread or has refreshed it since (its claim was refused, store.h ClaimThreads). No
  // longer in flight, due again at `not_before`, its interval and failures unchanged, its host
  // not blamed. The store's claim decides; the scheduler only proposes.
  void Defer(const store::ThreadKey& key, Timestamp not_before);

  // The earliest time at which Next could return something new (nullopt: nothing tracked).
  std::optional<Timestamp> NextWakeup() const;

  // The instant until which no refresh starts on `host` (nullopt: not backed off).
  std::optional<Timestamp> HostBackedOffUntil(const std::string& host) const;
  std::optional<store::Schedule> ScheduleOf(const store::ThreadKey& key) const;

  int tracked() const { return static_cast<int>(threads_.size()) - untracked_in_flight_; }
  int in_flight() const { return in_flight_; }
  int due() const;      // not in flight and due now (including those held by a backoff)
  int failing() const;  // whose last refresh failed

 private:
  struct Entry {
    store::ThreadKey key;
    std::string host;
    int64_t interval_s = 0;
    Timestamp next_due;
    std::optional<Timestamp> track_until;
    bool in_flight = false;
    int failures = 0;  // consecutive failed refreshes
    bool untracked = false;  // Untrack()ed while in flight: erased by Finish
  };
  struct Host {
    int in_flight = 0;
    int failures = 0;  // consecutive host-level failures
    Timestamp backed_off_until;
  };
  using QueueKey = std::pair<int64_t, std::string>;  // (next_due micros, key)

  static std::string Name(const store::ThreadKey& key);
  void Enqueue(Entry& e);
  void Dequeue(const Entry& e);
  void BackOffHost(Host& host, Timestamp now, const RefreshReport& report);

  Clock& clock_;
  SchedulerOptions options_;
  pipeline::IntervalPolicy policy_;  // of options_
  std::mt19937_64 rng_;
  std::map<std::string, Entry> threads_;
  std::map<std::string, Host> hosts_;
  std::set<QueueKey> queue_;  // every tracked thread not in flight
  int in_flight_ = 0;
  int untracked_in_flight_ = 0;
};

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_SCHEDULER_H_
