// The daemon end to end, in-process, as its status shows it: a failing or damaged store and
// /healthz, refresher setup failures, discovery from the mock's hot list, and the pieces the
// service lends its refreshers (its clock, its politeness). The fixture is
// daemon/service_test_util.h.
#include <gtest/gtest.h>

#include <algorithm>

#include <fstream>

#include "base/fake_clock.h"
#include "daemon/pipeline_refresher.h"
#include "daemon/service_test_util.h"
#include "daemon/zhihu_hot_list.h"
#include "fetch/curl_http_client.h"

namespace archivist::daemon::testing {
namespace {

using std::chrono::milliseconds;

TEST_F(ServiceTest, AFailingStoreMakesHealthz503WithTheReason) {
  pipeline::RefreshSummary failed;
  failed.outcome = model::Outcome::kComplete;
  failed.error = Status::IoError("database or disk is full");
  world_.Script(1, failed);
  Start(Config(1), world_);
  ASSERT_TRUE(WaitUntil([&] { return world_.finished() == 1; }));
  ASSERT_TRUE(WaitUntil([&] { return Get("/healthz").status == 503; }));
  EXPECT_EQ(Get("/healthz").body, "store not writable: I/O error: database or disk is full\n");
  EXPECT_TRUE(MetricsHas("archivist_refresh_store_errors_total 1"));
  EXPECT_TRUE(MetricsHas("archivist_up 0"));
  EXPECT_EQ(Stop(), 0);
}

// A worker whose refresher cannot be set up (every factory call after the start's check
// fails, as with a cookies file gone unreadable) fetched and stored nothing: no store error,
// /healthz stays ok, the thread is retried later.
TEST_F(ServiceTest, ARefresherSetupFailureIsNotAStoreError) {
  std::atomic<int> calls{0};
  RefresherFactory fails_after_start =
      [&](const config::Config& c, const SharedPieces& shared) -> Result<std::unique_ptr<Refresher>> {
    if (calls++ == 0) return world_.Factory()(c, shared);
    return Status::InvalidArgument("fetch.cookies_file: cannot read /nonexistent/cookies.txt");
  };
  Start(Config(1), fails_after_start, nullptr);
  ASSERT_TRUE(WaitUntil([&] { return MetricsHas("archivist_threads_failing 1"); }));
  EXPECT_TRUE(MetricsHas("archivist_refresh_store_errors_total 0"));
  const HttpGetResult health = Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  EXPECT_TRUE(world_.started().empty());
  EXPECT_EQ(Stop(), 0);
}

TEST_F(ServiceTest, DamageFoundWhileRunningStopsRefreshesAndMakesHealthz503) {
  pipeline::RefreshSummary damaged;
  damaged.outcome = model::Outcome::kComplete;
  damaged.error = Status::Corruption("x.db: the archive is damaged (malformed)");
  for (uint64_t id : {1, 2, 3}) world_.Script(id, damaged);
  config::Config c = Config(3);
  c.fetch.concurrency = 1;
  Start(std::move(c), world_);
  ASSERT_TRUE(WaitUntil([&] { return Get("/healthz").status == 503; }));
  EXPECT_EQ(Get("/healthz").body, "archive damaged: x.db: the archive is damaged (malformed)\n");
  EXPECT_TRUE(MetricsHas("archivist_archive_damaged 1"));
  EXPECT_TRUE(notify_.WaitFor("STATUS=ARCHIVE DAMAGED"));
  // A negative check needs some time: ~15 ticks and a rescan, in which a healthy daemon
  // would have started the two other due threads.
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(world_.started().size(), 1u);
  auto store = OpenStore();
  ASSERT_TRUE(store);
  EXPECT_FALSE(store->GetThread(Key(world_.started()[0]))->schedule.has_value());
  EXPECT_EQ(Get("/healthz").status, 503);
  EXPECT_EQ(Stop(), 0);
}

TEST_F(ServiceTest, ADamagedArchiveIsRefusedAtStart) {
  {
    std::ofstream junk(db_);
    junk << std::string(8192, 'x');
  }
  ServiceOptions options;
  options.refreshers = world_.Factory();
  Service service(Config(1), std::move(options));
  EXPECT_EQ(service.Run(), kExitArchiveDamaged);
  EXPECT_FALSE(notify_.Saw("READY=1"));
  EXPECT_TRUE(world_.started().empty());
}

TEST_F(ServiceTest, DiscoveryFromTheMockHotListThenRetirement) {
  config::Config c = Config(0);
  auto mock = StartMock(c);
  ASSERT_TRUE(mock);
  c.fetch.concurrency = 4;
  c.fetch.per_host_concurrency = 4;
  c.discovery.zhihu_hot = true;
  c.discovery.track_for = std::chrono::seconds(5);
  Start(c, world_, MakeZhihuHotList);
  ASSERT_TRUE(WaitUntil([&] { return MetricsHas("archivist_discovery_polls_total{result=\"ok\"} 1"); }));
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto threads = store->ListThreads();
  ASSERT_TRUE(threads.ok());
  const size_t n = threads->size();
  ASSERT_GT(n, 0u);
  EXPECT_TRUE(MetricsHas("archivist_threads_discovered_total " + std::to_string(n)));
  for (const store::ThreadSummary& t : *threads) {
    EXPECT_TRUE(t.discovered);
    ASSERT_TRUE(t.track_until.has_value());
  }
  // Discovered threads are refreshed (those the workers reach within track_for).
  ASSERT_TRUE(WaitUntil([&] { return world_.finished() >= 1; }));
  // After track_for, every discovered thread is retired: kept, queryable, not refreshed. (The
  // store is watched, not the tracked-threads gauge: that one may still say 0 from before the
  // poll until the loop publishes again.)
  ASSERT_TRUE(WaitUntil([&] {
    threads = store->ListThreads();
    return threads.ok() && std::all_of(threads->begin(), threads->end(), [](const auto& t) {
             return t.tracking == store::Tracking::kRetired;
           });
  }));
  EXPECT_EQ(threads->size(), n);
  EXPECT_TRUE(WaitUntil([&] { return MetricsHas("archivist_threads_tracked 0"); }));
  EXPECT_EQ(Stop(), 0);
  // Each at most once: none after its retirement.
  std::set<model::QuestionId> distinct;
  for (model::QuestionId id : world_.started()) EXPECT_TRUE(distinct.insert(id).second) << id;
}

// The real refreshers run on the service's clock: a refresh under ServiceOptions::clock is
// stamped with that clock's time (they used a clock of their own).
TEST_F(ServiceTest, TheRefreshersUseTheServicesClock) {
  config::Config c = Config(0);
  auto mock = StartMock(c);
  ASSERT_TRUE(mock);
  c.threads.push_back({"1982867494206211639", 1});
  const Timestamp start = Timestamp::FromSeconds(1'577'836'800);  // 2020-01-01T00:00:00Z
  FakeClock clock(start);
  Start(c, PipelineRefresherFactory(), nullptr, &clock);
  const store::ThreadKey key = Key(1982867494206211639ull);
  ASSERT_TRUE(WaitUntil([&] {
    auto store = OpenStore();
    auto t = store ? store->GetThread(key) : Result<store::ThreadSummary>(Status::NotFound(""));
    return t.ok() && t->last_fetch.has_value();
  }));
  EXPECT_EQ(Stop(), 0);
  auto t = OpenStore()->GetThread(key);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->last_outcome, "complete");
  // The fake clock moves only when something sleeps on it; no more than a day of that.
  EXPECT_GE(t->last_fetch->micros(), start.micros()) << t->last_fetch->ToIso8601();
  EXPECT_LT(t->last_fetch->micros(), start.micros() + 86'400'000'000LL)
      << t->last_fetch->ToIso8601();
  ASSERT_TRUE(t->first_archived.has_value());
  EXPECT_LT(t->first_archived->micros(), start.micros() + 86'400'000'000LL);
}

// The hot-list poll and the refreshers share one politeness: with one request in flight
// per host allowed, a poll started while a refresh's request is in flight waits for it (it
// had a politeness of its own and went at once).
TEST_F(ServiceTest, TheHotListHonoursThePerHostLimitsOfTheRefreshers) {
  const std::string faults = db_.string() + ".faults";
  const std::string slow = "1982867494206211639";
  std::ofstream(faults) << "route=question qid=" << slow << " action=delay ms=3000\n";
  config::Config c = Config(0);
  auto mock = StartMock(c, {"--faults", faults});
  ASSERT_TRUE(mock);
  c.threads.push_back({slow, 1});
  c.fetch.per_host_concurrency = 1;
  c.fetch.concurrency = 2;
  config::Config polling = c;
  polling.discovery.zhihu_hot = true;
  reload_ = [&] { return Result<config::Config>(polling); };
  Start(c, PipelineRefresherFactory(), MakeZhihuHotList);
  // The refresh's first request has reached the mock, which holds it for 3 s.
  auto curl = fetch::CurlHttpClient::Create({});
  ASSERT_TRUE(curl.ok()) << curl.status().ToString();
  ASSERT_TRUE(WaitUntil([&] {
    fetch::HttpRequest get;
    get.url = mock->base_url() + "/_mock/requests";
    const fetch::HttpResponse log = (*curl)->PerformAll({get})[0];
    return log.body.find("/questions/" + slow) != std::string::npos;
  }));
  const auto asked = std::chrono::steady_clock::now();
  ::kill(::getpid(), SIGHUP);  // discovery on: a poll starts on the other worker
  ASSERT_TRUE(WaitUntil(
      [&] { return MetricsHas("archivist_discovery_polls_total{result=\"ok\"} 1"); }));
  const auto polled = std::chrono::steady_clock::now();
  EXPECT_GE(polled - asked, milliseconds(2000))
      << "the hot list did not wait for the refresh's request in flight";
  EXPECT_EQ(Stop(), 0);
  std::filesystem::remove(faults);
}

}  // namespace
}  // namespace archivist::daemon::testing
