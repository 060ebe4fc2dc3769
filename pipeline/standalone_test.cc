// A one-shot refresh's schedule, retirements and hot-list polls (pipeline/standalone.h), on a
// FakeClock and a real SqliteStore: the schedule follows the daemon's interval policy, a
// failure's retry grows with the failures stored in a row, and the hot list is polled at most
// once per discovery.interval.
#include "pipeline/standalone.h"

#include <gtest/gtest.h>

#include <filesystem>

#include <deque>

#include "base/fake_clock.h"
#include "store/sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace archivist::pipeline {
namespace {

using model::Outcome;
const store::ThreadKey kKey{"zhihu", 42};

class ScriptedSource final : public Source, public HotListSource {
 public:
  std::deque<model::Snapshot> script;
  int hot_polls = 0;
  model::Snapshot Fetch(model::QuestionId) override {
    model::Snapshot s = script.front();
    script.pop_front();
    return s;
  }
  model::ProbeResult Probe(model::AnswerId) override { return model::ProbeResult::kUnknown; }
  Result<std::vector<model::HotItem>> HotList() override {
    ++hot_polls;
    return std::vector<model::HotItem>{{7, "热", "1 万热度"}, {42, "已知", ""}};
  }
};

model::Snapshot Snap(Outcome outcome, int answers, std::optional<int64_t> retry_after = {}) {
  model::Snapshot s;
  s.question.id = kKey.id;
  s.question.title = "标题";
  s.outcome = outcome;
  s.pages = 1;
  s.retry_after_seconds = retry_after;
  for (int i = 1; i <= answers; ++i) {
    model::Answer a;
    a.id = i;
    a.created_time = a.updated_time = 100;
    a.content_html = "<p>" + std::to_string(i) + "</p>";
    s.answers.push_back(a);
  }
  if (outcome != Outcome::kComplete) s.error = {503, "", "scripted", 1};
  return s;
}

class StandaloneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::SqliteStore::Open(dir_ + "/archive.db");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->AddThread(kKey, clock_.WallNow()).ok());
    policy_.jitter = 0;
  }

  // One refresh; returns (seconds until next due, interval).
  std::pair<int64_t, int64_t> Run(model::Snapshot snap) {
    source_.script.push_back(std::move(snap));
    PipelineOptions options;
    options.schedule = KeepSchedule(*store_, clock_, policy_, 1);
    Pipeline pipeline(source_, *store_, clock_, {}, options);
    clock_.Advance(std::chrono::seconds(60));
    EXPECT_TRUE(pipeline.Refresh(kKey).committed);
    const store::Schedule s = *store_->GetThread(kKey)->schedule;
    return {(s.next_due.micros() - clock_.WallNow().micros()) / 1'000'000, s.interval_seconds};
  }

  test_support::TempDir temp_{"standalone_test"};
  const std::string dir_ = temp_.path();
  FakeClock clock_;
  ScriptedSource source_;
  std::unique_ptr<store::SqliteStore> store_;
  IntervalPolicy policy_;  // 10 min .. 7 d, starting at 30 min
};

TEST_F(StandaloneTest, TheIntervalAdaptsAsTheDaemonsDoes) {
  EXPECT_EQ(Run(Snap(Outcome::kComplete, 2)), std::make_pair(int64_t{1200}, int64_t{1200}));
  EXPECT_EQ(Run(Snap(Outcome::kComplete, 2)), std::make_pair(int64_t{1800}, int64_t{1800}));
  EXPECT_EQ(Run(Snap(Outcome::kComplete, 3)), std::make_pair(int64_t{1200}, int64_t{1200}));
}

TEST_F(StandaloneTest, FailuresInARowAreRetriedLaterButNeverBeyondTheInterval) {
  Run(Snap(Outcome::kComplete, 2));
  Run(Snap(Outcome::kComplete, 2));  // interval 1800
  EXPECT_EQ(Run(Snap(Outcome::kNotFound, 0)), std::make_pair(int64_t{600}, int64_t{1800}));
  EXPECT_EQ(Run(Snap(Outcome::kNotFound, 0)), std::make_pair(int64_t{1200}, int64_t{1800}));
  EXPECT_EQ(Run(Snap(Outcome::kNotFound, 0)), std::make_pair(int64_t{1800}, int64_t{1800}));
  EXPECT_EQ(Run(Snap(Outcome::kComplete, 2)), std::make_pair(int64_t{2700}, int64_t{2700}));
}

TEST_F(StandaloneTest, AHostFailureWaitsForRetryAfterCappedAtTheBackoffMaximum) {
  Run(Snap(Outcome::kComplete, 2));
  EXPECT_EQ(Run(Snap(Outcome::kRateLimited, 0, 7200)).first, 3600);
  EXPECT_EQ(Run(Snap(Outcome::kRateLimited, 0, 5)).first, 1200);  // min(interval, 600·2)
}

TEST_F(StandaloneTest, ExpiredDiscoveredThreadsAreRetired) {
  const store::ThreadKey found{"zhihu", 7};
  ASSERT_TRUE(store_->AddThread(found, clock_.WallNow(), true, clock_.WallNow()).ok());
  auto retired = RetireExpired(*store_, clock_.WallNow());
  ASSERT_TRUE(retired.ok());
  ASSERT_EQ(retired->size(), 1u);
  EXPECT_EQ(store_->GetThread(found)->tracking, store::Tracking::kRetired);
  EXPECT_EQ(store_->GetThread(kKey)->tracking, store::Tracking::kActive);  // not discovered
}

TEST_F(StandaloneTest, TheHotListIsPolledOncePerInterval) {
  config::DiscoveryConfig d;
  d.interval = std::chrono::minutes(30);
  auto first = PollHotListIfDue(source_, *store_, clock_.WallNow(), d);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->polled);
  EXPECT_EQ(first->listed, 2);
  ASSERT_EQ(first->added.size(), 1u);  // 42 is known
  EXPECT_EQ(first->added[0].key.id, 7u);
  // An SQLite archive keeps the mark beside it, where it was before marks were the store's.
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/archive.db.hot-list"));
  clock_.Advance(std::chrono::minutes(29));
  EXPECT_FALSE(PollHotListIfDue(source_, *store_, clock_.WallNow(), d)->polled);
  clock_.Advance(std::chrono::minutes(1));
  EXPECT_TRUE(PollHotListIfDue(source_, *store_, clock_.WallNow(), d)->polled);
  EXPECT_EQ(source_.hot_polls, 2);
}

}  // namespace
}  // namespace archivist::pipeline
