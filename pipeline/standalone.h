// What a refresh outside the daemon (`archivist refresh`, e.g. under archivist-refresh.timer)
// does besides the pipeline, so that one run keeps the archive as the daemon would
// (docs/operations.md "The timer instead of the daemon"):
//
//   - IntervalPolicyOf: the [schedule] keys, read as the daemon's scheduler reads them;
//   - KeepSchedule: a ScheduleDecider that stores each thread's next due time in its
//     refresh's transaction, by the interval policy the daemon's scheduler follows
//     (pipeline/interval_policy.h). Consecutive failures, which the daemon counts in memory,
//     are counted from the thread's stored fetch records;
//   - RetireExpired: discovered threads whose tracking period is over are retired, as the
//     daemon's scheduler retires them;
//   - PollHotListIfDue: one poll of the hot list (discovery.zhihu_hot) when discovery.interval
//     has passed since the last one, whose time is the archive's "hot-list" mark
//     (Store::GetMark: a file beside an SQLite archive, a row of a PostgreSQL one, so every
//     daemon and run of a shared archive sees it).
//
// Thread-safety: functions over the Store they are given (one Store per thread).
#ifndef ARCHIVIST_PIPELINE_STANDALONE_H_
#define ARCHIVIST_PIPELINE_STANDALONE_H_

#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "config/config.h"
#include "pipeline/discovery.h"
#include "pipeline/interval_policy.h"
#include "pipeline/pipeline.h"
#include "pipeline/source.h"
#include "store/store.h"

namespace archivist::pipeline {

IntervalPolicy IntervalPolicyOf(const config::ScheduleConfig& schedule);

// Borrows `store` and `clock` for the decider's lifetime. The jitter is drawn from a
// generator seeded by `seed`.
ScheduleDecider KeepSchedule(store::Store& store, Clock& clock, const IntervalPolicy& policy,
                             uint64_t seed);

// Retires every active discovered thread whose track_until is at or before `now`; returns
// them.
Result<std::vector<store::ThreadKey>> RetireExpired(store::Store& store, Timestamp now);

struct HotListPoll {
  bool polled = false;        // false: discovery.interval has not passed since the last poll
  int listed = 0;             // questions on the hot list
  std::vector<DiscoveredThread> added;
  Status error;               // the poll failed (nothing added); the next one is after interval
};

// The archive's mark of the last hot-list poll (Store::GetMark).
inline constexpr const char* kHotListMark = "hot-list";

// Whether `discovery.interval` has passed since the last poll of the hot list (or none was
// recorded, or its time is in the future). A mark that cannot be read counts as none.
bool HotListPollDue(store::Store& store, Timestamp now, const config::DiscoveryConfig& discovery);

// Polls `source` when HotListPollDue, adds the new questions as discovered threads, and marks
// the poll's time. Fails only for a store error (a failed poll is `error` in the result).
Result<HotListPoll> PollHotListIfDue(HotListSource& source, store::Store& store, Timestamp now,
                                     const config::DiscoveryConfig& discovery);

}  // namespace archivist::pipeline

#endif  // ARCHIVIST_PIPELINE_STANDALONE_H_
