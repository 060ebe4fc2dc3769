// A one-shot refresh's schedule, retirements and hot-list polls (see standalone.h).
//
// The schedule is decided inside the refresh (PipelineOptions::schedule), so it is stored in
// the refresh's own transaction: a run killed half-way leaves every refreshed thread with
// its next due time and the others still due. A refresh superseded by another one stores
// nothing, schedule included; the other refresh stored its own.
#include "pipeline/standalone.h"

#include <memory>
#include <random>


namespace archivist::pipeline {
namespace {

// Failed fetches in a row at the end of the thread's stored fetch records.
int StoredFailuresInARow(store::Store& store, const store::ThreadKey& thread) {
  Result<std::vector<store::FetchRecord>> records = store.FetchRecords(thread);
  if (!records.ok()) return 0;
  int n = 0;
  for (auto it = records->rbegin(); it != records->rend() && !IsSuccess(it->outcome); ++it) ++n;
  return n;
}

}  // namespace

IntervalPolicy IntervalPolicyOf(const config::ScheduleConfig& s) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  IntervalPolicy p;
  p.min_interval = duration_cast<seconds>(s.min_interval);
  p.max_interval = duration_cast<seconds>(s.max_interval);
  p.initial_interval = duration_cast<seconds>(s.initial_interval);
  return p;
}

ScheduleDecider KeepSchedule(store::Store& store, Clock& clock, const IntervalPolicy& policy,
                             uint64_t seed) {
  auto rng = std::make_shared<std::mt19937_64>(seed);
  return [&store, &clock, policy, rng](const RefreshSummary& s) -> std::optional<store::Schedule> {
    const Result<store::ThreadSummary> thread = store.GetThread(s.thread);
    const int64_t before =
        thread.ok() && thread->schedule ? thread->schedule->interval_seconds : 0;
    int64_t interval = StartingInterval(policy, before);
    const Timestamp now = clock.WallNow();
    if (IsSuccess(s.outcome)) {
      interval = AdaptedInterval(policy, interval, s.EventCount() > 0);
      return store::Schedule{Jittered(policy, now, interval, *rng), interval};
    }
    const int failures = StoredFailuresInARow(store, s.thread) + 1;
    Timestamp next = Jittered(policy, now, RetryDelay(policy, interval, failures), *rng);
    if (IsHostFailure(s.outcome)) {
      const Timestamp host =
          PlusSeconds(now, HostBackoff(policy, failures, s.retry_after_seconds));
      if (host > next) next = host;
    }
    return store::Schedule{next, interval};
  };
}

Result<std::vector<store::ThreadKey>> RetireExpired(store::Store& store, Timestamp now) {
  Result<std::vector<store::ThreadSummary>> threads = store.ListThreads();
  if (!threads.ok()) return threads.status();
  std::vector<store::ThreadKey> retired;
  for (const store::ThreadSummary& t : *threads) {
    if (t.tracking != store::Tracking::kActive || !t.discovered || !t.track_until ||
        *t.track_until > now) {
      continue;
    }
    if (Status st = store.SetTracking(t.key, store::Tracking::kRetired); !st.ok()) return st;
    retired.push_back(t.key);
  }
  return retired;
}

bool HotListPollDue(store::Store& store, Timestamp now, const config::DiscoveryConfig& discovery) {
  Result<std::optional<Timestamp>> last = store.GetMark(kHotListMark);
  if (!last.ok() || !*last) return true;
  const int64_t interval_us =
      std::chrono::duration_cast<std::chrono::microseconds>(discovery.interval).count();
  return (*last)->micros() > now.micros() || now.micros() - (*last)->micros() >= interval_us;
}

Result<HotListPoll> PollHotListIfDue(HotListSource& source, store::Store& store, Timestamp now,
                                     const config::DiscoveryConfig& discovery) {
  HotListPoll poll;
  if (!HotListPollDue(store, now, discovery)) return poll;
  poll.polled = true;
  Result<std::vector<model::HotItem>> items = source.HotList();
  if (Status st = store.SetMark(kHotListMark, now); !st.ok()) {
    poll.error = st.WithContext("recording the hot-list poll");
  }
  if (!items.ok()) {
    poll.error = items.status();
    return poll;
  }
  poll.listed = static_cast<int>(items->size());
  Result<std::vector<DiscoveredThread>> added =
      AddDiscovered(store, *items, now, discovery.track_for);
  if (!added.ok()) return added.status();
  poll.added = std::move(*added);
  return poll;
}

}  // namespace archivist::pipeline
