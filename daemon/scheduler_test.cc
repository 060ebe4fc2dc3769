#include "daemon/scheduler.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "base/fake_clock.h"

namespace archivist::daemon {
namespace {

using model::Outcome;
using std::chrono::seconds;

store::ThreadKey Key(uint64_t id) { return {std::string(store::kZhihu), id}; }

SchedulerOptions Options() {
  SchedulerOptions o;
  o.policy.min_interval = seconds(600);
  o.policy.max_interval = seconds(7 * 86400);
  o.policy.initial_interval = seconds(1800);
  o.concurrency = 4;
  o.per_host_concurrency = 1;
  return o;
}

class SchedulerTest : public ::testing::Test {
 protected:
  Timestamp Now() { return clock_.WallNow(); }
  int64_t Elapsed() { return (Now().micros() - start_.micros()) / 1'000'000; }
  FakeClock clock_;
  Timestamp start_ = clock_.WallNow();
};

TEST_F(SchedulerTest, NewThreadIsDueNowWithTheInitialInterval) {
  Scheduler s(clock_, Options());
  s.Track({Key(1), "h", std::nullopt, std::nullopt});
  EXPECT_EQ(s.due(), 1);
  Scheduler::Tick t = s.Next();
  ASSERT_EQ(t.start.size(), 1u);
  EXPECT_EQ(s.in_flight(), 1);
  EXPECT_EQ(s.Next().start.size(), 0u);  // in flight: not started twice
  store::Schedule next = s.Finish(Key(1), {Outcome::kComplete, true, std::nullopt});
  EXPECT_EQ(next.interval_seconds, 1200);  // 1800 / 1.5
  const int64_t wait = (next.next_due.micros() - Now().micros()) / 1'000'000;
  EXPECT_GE(wait, 1080);  // ±10% jitter
  EXPECT_LE(wait, 1320);
}

TEST_F(SchedulerTest, PersistedScheduleIsKeptAndClamped) {
  Scheduler s(clock_, Options());
  const Timestamp later = Timestamp::FromMicros(Now().micros() + 3600LL * 1'000'000);
  s.Track({Key(1), "h", store::Schedule{later, 7200}, std::nullopt});
  s.Track({Key(2), "h", store::Schedule{later, 30}, std::nullopt});  // below min
  EXPECT_EQ(s.ScheduleOf(Key(1))->next_due, later);
  EXPECT_EQ(s.ScheduleOf(Key(1))->interval_seconds, 7200);
  EXPECT_EQ(s.ScheduleOf(Key(2))->interval_seconds, 600);
  // Key 2's next_due was pulled in to now + its clamped interval.
  EXPECT_EQ(s.ScheduleOf(Key(2))->next_due.micros(), Now().micros() + 600LL * 1'000'000);
  EXPECT_EQ(s.due(), 0);
  EXPECT_TRUE(s.Next().start.empty());
}

// A thread that changes about every hour (edits arriving at random, a Poisson process with a
// mean of one hour) converges to being refreshed about hourly. (Strictly periodic changes
// settle at two refreshes per period: see scheduler.cc.)
TEST_F(SchedulerTest, HourlyChangingThreadConvergesToHourly) {
  for (uint64_t seed : {1, 2, 3}) {
    FakeClock clock;
    const Timestamp start = clock.WallNow();
    auto elapsed = [&] { return (clock.WallNow().micros() - start.micros()) / 1'000'000; };
    Scheduler s(clock, Options(), seed);
    s.Track({Key(1), "h", std::nullopt, std::nullopt});
    std::mt19937_64 rng(seed);
    std::exponential_distribution<double> gap(1.0 / 3600);
    double next_change = gap(rng);
    const int64_t end = 14 * 86400;
    int recent = 0;
    while (elapsed() < end) {
      for (const store::ThreadKey& k : s.Next().start) {
        bool changed = false;
        while (next_change <= elapsed()) {
          changed = true;
          next_change += gap(rng);
        }
        if (elapsed() >= end - 7 * 86400) ++recent;
        s.Finish(k, {Outcome::kComplete, changed, std::nullopt});
      }
      clock.Advance(seconds(60));
    }
    // Over the last 7 days (168 hours): about one refresh per hour, within a factor 1.5.
    EXPECT_GE(recent, 168 / 1.5) << "seed " << seed;
    EXPECT_LE(recent, 168 * 1.5) << "seed " << seed;
  }
}

TEST_F(SchedulerTest, QuietThreadDriftsToTheMaximum) {
  Scheduler s(clock_, Options());
  s.Track({Key(1), "h", std::nullopt, std::nullopt});
  int refreshes = 0;
  while (Elapsed() < 60 * 86400) {
    for (const store::ThreadKey& k : s.Next().start) {
      s.Finish(k, {refreshes == 0 ? Outcome::kComplete : Outcome::kNotModified, false,
                   std::nullopt});
      ++refreshes;
    }
    clock_.Advance(seconds(600));
  }
  EXPECT_EQ(s.ScheduleOf(Key(1))->interval_seconds, 7 * 86400);
  // 1800·1.5^k reaches 7 days after 14 refreshes; the rest are a week apart.
  EXPECT_GE(refreshes, 14);
  EXPECT_LE(refreshes, 14 + 60 / 7 + 1);
}

TEST_F(SchedulerTest, RetryAfter120KeepsTheHostQuietFor120Seconds) {
  SchedulerOptions o = Options();
  o.concurrency = 8;
  o.per_host_concurrency = 2;
  Scheduler s(clock_, o);
  for (uint64_t id = 1; id <= 20; ++id) s.Track({Key(id), "zhihu", std::nullopt, std::nullopt});
  s.Track({Key(100), "other", std::nullopt, std::nullopt});
  Scheduler::Tick t = s.Next();
  ASSERT_EQ(t.start.size(), 3u);  // two on zhihu, one on other
  s.Finish(t.start[0], {Outcome::kRateLimited, false, 120});
  s.Finish(t.start[1], {Outcome::kComplete, false, std::nullopt});
  s.Finish(t.start[2], {Outcome::kComplete, false, std::nullopt});
  const int64_t stamped = Elapsed();
  ASSERT_TRUE(s.HostBackedOffUntil("zhihu").has_value());
  EXPECT_FALSE(s.HostBackedOffUntil("other").has_value());
  EXPECT_EQ(*s.NextWakeup(), Timestamp::FromMicros(Now().micros() + 120'000'000));
  int64_t first_zhihu = -1;
  std::set<uint64_t> zhihu_ids;
  for (uint64_t id = 1; id <= 20; ++id) zhihu_ids.insert(id);
  while (first_zhihu < 0 && Elapsed() < 1000) {
    for (const store::ThreadKey& k : s.Next().start) {
      if (zhihu_ids.count(k.id)) first_zhihu = Elapsed() - stamped;
      s.Finish(k, {Outcome::kComplete, false, std::nullopt});
    }
    clock_.Advance(seconds(1));
  }
  EXPECT_EQ(first_zhihu, 120);
  // The failed thread kept its interval.
  EXPECT_EQ(s.ScheduleOf(t.start[0])->interval_seconds, 1800);
}

TEST_F(SchedulerTest, HostBackoffIsExponentialCappedAndResetBySuccess) {
  SchedulerOptions o = Options();
  o.policy.host_backoff_base = seconds(30);
  o.policy.host_backoff_max = seconds(3600);
  o.policy.min_interval = seconds(1);
  Scheduler s(clock_, o);
  s.Track({Key(1), "h", std::nullopt, std::nullopt});
  std::vector<int64_t> backoffs;
  for (int i = 0; i < 10; ++i) {
    clock_.Advance(seconds(86400));  // everything due, backoff over
    Scheduler::Tick t = s.Next();
    ASSERT_EQ(t.start.size(), 1u);
    s.Finish(t.start[0], {Outcome::kBlocked, false, std::nullopt});
    backoffs.push_back((s.HostBackedOffUntil("h")->micros() - Now().micros()) / 1'000'000);
  }
  EXPECT_EQ(backoffs, (std::vector<int64_t>{30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600}));
  EXPECT_EQ(s.ScheduleOf(Key(1))->interval_seconds, 1800);  // never changed by failures
  EXPECT_EQ(s.failing(), 1);
  clock_.Advance(seconds(86400));
  s.Finish(s.Next().start.at(0), {Outcome::kComplete, false, std::nullopt});
  EXPECT_EQ(s.failing(), 0);
  clock_.Advance(seconds(86400 * 8));
  s.Finish(s.Next().start.at(0), {Outcome::kTransient, false, std::nullopt});
  EXPECT_EQ((s.HostBackedOffUntil("h")->micros() - Now().micros()) / 1'000'000, 30);
  // A Retry-After beyond the cap is capped too.
  clock_.Advance(seconds(86400 * 8));
  s.Finish(s.Next().start.at(0), {Outcome::kRateLimited, false, 86400});
  EXPECT_EQ((s.HostBackedOffUntil("h")->micros() - Now().micros()) / 1'000'000, 3600);
}

TEST_F(SchedulerTest, ThreadFailuresDoNotBackOffTheHost) {
  Scheduler s(clock_, Options());
  s.Track({Key(1), "h", std::nullopt, std::nullopt});
  s.Track({Key(2), "h", std::nullopt, std::nullopt});
  s.Finish(s.Next().start.at(0), {Outcome::kInvalidResponse, false, std::nullopt});
  EXPECT_FALSE(s.HostBackedOffUntil("h").has_value());
  EXPECT_EQ(s.Next().start.size(), 1u);  // the other thread starts at once
  EXPECT_EQ(s.failing(), 1);
  // The failed thread is retried after min_interval (its interval is longer), not hammered.
  const int64_t wait = (s.ScheduleOf(Key(1))->next_due.micros() - Now().micros()) / 1'000'000;
  EXPECT_GE(wait, 540);
  EXPECT_LE(wait, 660);
}

// The store failing (a database restart) is no fault of the source's host: neither a failure
// before the fetch (no outcome from the source) nor a complete fetch whose commit failed backs
// the host off. The thread is retried as a failed one, its interval unchanged.
TEST_F(SchedulerTest, AStoreFailureIsTheThreadsNotTheHosts) {
  Scheduler s(clock_, Options());
  s.Track({Key(1), "h", std::nullopt, std::nullopt});
  s.Track({Key(2), "h", std::nullopt, std::nullopt});
  RefreshReport before_fetch{Outcome::kTransient, false, std::nullopt};
  before_fetch.fetched = false;
  before_fetch.stored = false;
  s.Finish(s.Next().start.at(0), before_fetch);
  EXPECT_FALSE(s.HostBackedOffUntil("h").has_value());
  RefreshReport at_commit{Outcome::kComplete, true, std::nullopt};
  at_commit.stored = false;
  s.Finish(s.Next().start.at(0), at_commit);
  EXPECT_FALSE(s.HostBackedOffUntil("h").has_value());
  EXPECT_EQ(s.failing(), 2);
  for (uint64_t id : {1, 2}) {
    EXPECT_EQ(s.ScheduleOf(Key(id))->interval_seconds, 1800);
    const int64_t wait = (s.ScheduleOf(Key(id))->next_due.micros() - Now().micros()) / 1'000'000;
    EXPECT_GE(wait, 540);  // retried after min_interval, as a failed thread
    EXPECT_LE(wait, 660);
  }
}

// 1,000 threads due at once, 980 on one host and 10 on each of two others: on each host,
// every thread is refreshed once before any is refreshed twice, the limits hold, and the
// small hosts are not held up behind the big one.
TEST_F(SchedulerTest, NothingStarvesWhenAThousandAreDueAtOnce) {
  SchedulerOptions o = Options();
  o.policy.min_interval = seconds(60);
  o.policy.initial_interval = seconds(60);
  o.concurrency = 3;
  o.per_host_concurrency = 2;
  Scheduler s(clock_, o);
  for (uint64_t id = 1; id <= 1000; ++id) {
    s.Track({Key(id), id <= 980 ? "big" : (id % 2 ? "a" : "b"), std::nullopt, std::nullopt});
  }
  EXPECT_EQ(s.due(), 1000);
  std::map<uint64_t, int> count;
  std::map<uint64_t, int64_t> first_time;
  std::map<std::string, int> host_in_flight;
  struct Running {
    store::ThreadKey key;
    std::string host;
    int64_t done_at;
  };
  std::vector<Running> running;
  int max_in_flight = 0;
  std::map<std::string, int> host_size = {{"big", 980}, {"a", 10}, {"b", 10}};
  std::map<std::string, std::set<uint64_t>> seen_on_host;
  bool twice_before_all_once = false;
  while (count.size() < 1000 && Elapsed() < 86400) {
    for (const store::ThreadKey& k : s.Next().start) {
      const std::string host = k.id <= 980 ? "big" : (k.id % 2 ? "a" : "b");
      // Within a host, nobody gets a second turn before everyone had a first.
      seen_on_host[host].insert(k.id);
      if (++count[k.id] == 2 && static_cast<int>(seen_on_host[host].size()) < host_size[host]) {
        twice_before_all_once = true;
      }
      first_time.emplace(k.id, Elapsed());
      ++host_in_flight[host];
      EXPECT_LE(host_in_flight[host], 2);
      running.push_back({k, host, Elapsed() + 5});  // each refresh takes 5 s
    }
    max_in_flight = std::max(max_in_flight, static_cast<int>(running.size()));
    clock_.Advance(seconds(1));
    for (auto it = running.begin(); it != running.end();) {
      if (it->done_at <= Elapsed()) {
        --host_in_flight[it->host];
        s.Finish(it->key, {Outcome::kComplete, false, std::nullopt});
        it = running.erase(it);
      } else {
        ++it;
      }
    }
  }
  EXPECT_EQ(count.size(), 1000u);
  EXPECT_FALSE(twice_before_all_once);
  EXPECT_EQ(max_in_flight, 3);
  // The 20 threads of the small hosts were all served within their own share of time, not
  // after the big host's 980.
  int64_t last_small = 0;
  for (uint64_t id = 981; id <= 1000; ++id) last_small = std::max(last_small, first_time[id]);
  EXPECT_LE(last_small, 20 * 6);  // one slot, 6 s per refresh; head-of-line blocking: ~2,900 s
}

TEST_F(SchedulerTest, DiscoveredThreadsRetireAfterTrackFor) {
  Scheduler s(clock_, Options());
  const Timestamp until = Timestamp::FromMicros(Now().micros() + 3600LL * 1'000'000);
  s.Track({Key(1), "h", std::nullopt, until});
  s.Track({Key(2), "h", std::nullopt, std::nullopt});
  Scheduler::Tick first = s.Next();
  EXPECT_TRUE(first.retire.empty());
  ASSERT_EQ(first.start.size(), 1u);  // one per host
  s.Finish(first.start[0], {Outcome::kComplete, true, std::nullopt});
  clock_.Advance(seconds(3600));
  Scheduler::Tick t = s.Next();
  ASSERT_EQ(t.retire.size(), 1u);
  EXPECT_EQ(t.retire[0].id, 1u);
  EXPECT_FALSE(s.IsTracked(Key(1)));
  EXPECT_EQ(s.tracked(), 1);
}

TEST_F(SchedulerTest, UntrackWhileInFlight) {
  Scheduler s(clock_, Options());
  s.Track({Key(1), "h", std::nullopt, std::nullopt});
  ASSERT_EQ(s.Next().start.size(), 1u);
  s.Untrack(Key(1));
  EXPECT_EQ(s.tracked(), 0);
  s.Finish(Key(1), {Outcome::kComplete, false, std::nullopt});
  EXPECT_FALSE(s.IsTracked(Key(1)));
  EXPECT_EQ(s.in_flight(), 0);
  clock_.Advance(seconds(86400 * 30));
  EXPECT_TRUE(s.Next().start.empty());
}

TEST_F(SchedulerTest, ReloadWithASmallerMaximumPullsSchedulesIn) {
  Scheduler s(clock_, Options());
  const Timestamp far = Timestamp::FromMicros(Now().micros() + 6 * 86400LL * 1'000'000);
  s.Track({Key(1), "h", store::Schedule{far, 6 * 86400}, std::nullopt});
  SchedulerOptions o = Options();
  o.policy.max_interval = seconds(3600);
  s.SetOptions(o);
  EXPECT_EQ(s.ScheduleOf(Key(1))->interval_seconds, 3600);
  EXPECT_EQ(s.ScheduleOf(Key(1))->next_due.micros(), Now().micros() + 3600LL * 1'000'000);
}

}  // namespace
}  // namespace archivist::daemon

namespace archivist::daemon {
namespace {

// A refused claim (another daemon holds the thread) frees the slot at once, blames nobody,
// and brings the thread back at the time the store named.
TEST(SchedulerDeferTest, ADeferredThreadFreesItsSlotAndComesBackWhenTold) {
  FakeClock clock;
  SchedulerOptions o = Options();
  o.concurrency = 1;
  Scheduler s(clock, o);
  s.Track({Key(1), "h", std::nullopt, std::nullopt});
  s.Track({Key(2), "h", std::nullopt, std::nullopt});
  Scheduler::Tick first = s.Next();
  ASSERT_EQ(first.start.size(), 1u);
  const store::ThreadKey taken = first.start[0];
  s.Defer(taken, pipeline::PlusSeconds(clock.WallNow(), 5));
  EXPECT_EQ(s.in_flight(), 0);
  EXPECT_EQ(s.failing(), 0);
  EXPECT_FALSE(s.HostBackedOffUntil("h"));
  Scheduler::Tick second = s.Next();  // the other thread gets the slot
  ASSERT_EQ(second.start.size(), 1u);
  EXPECT_NE(second.start[0].id, taken.id);
  s.Finish(second.start[0], {Outcome::kComplete, false, std::nullopt});
  EXPECT_TRUE(s.Next().start.empty());  // the deferred one is not due yet
  clock.Advance(seconds(5));
  Scheduler::Tick third = s.Next();
  ASSERT_EQ(third.start.size(), 1u);
  EXPECT_EQ(third.start[0].id, taken.id);
  EXPECT_EQ(s.ScheduleOf(taken)->interval_seconds, 1800);  // its interval is unchanged
}

}  // namespace
}  // namespace archivist::daemon
