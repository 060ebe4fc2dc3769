// The daemon end to end, in-process, from start to stop: refreshes stored and reported, the
// default store folder, SIGHUP, SIGTERM (letting a refresh finish, cancelling one, a second
// SIGTERM, the grace period) and a restart that resumes. Signals are real
// (kill(getpid(), …)); the fixture is daemon/service_test_util.h.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "daemon/service_test_util.h"

namespace archivist::daemon::testing {
namespace {

using std::chrono::milliseconds;

TEST_F(ServiceTest, RefreshesPersistsReportsAndStopsCleanly) {
  pipeline::RefreshSummary added;
  added.outcome = model::Outcome::kComplete;
  added.added = 2;
  added.fetch_duration = milliseconds(1200);
  world_.Script(2, added);
  pipeline::RefreshSummary gone;
  gone.outcome = model::Outcome::kNotFound;
  gone.fetch_error.http_status = 404;
  world_.Script(3, gone);
  ::setenv("WATCHDOG_USEC", "200000", 1);  // systemd's WatchdogSec=200ms: ping every 100 ms
  Start(Config(3), world_);
  // The service reads it once while starting, on its own thread: keep it until READY.
  ASSERT_TRUE(notify_.WaitFor("READY=1"));
  ::unsetenv("WATCHDOG_USEC");
  ASSERT_TRUE(WaitUntil([&] { return world_.finished() == 3; }));
  ASSERT_TRUE(WaitUntil([&] { return MetricsHas("archivist_refreshes_in_flight 0"); }));
  EXPECT_TRUE(MetricsHas("archivist_refreshes_total{outcome=\"complete\"} 2"));
  EXPECT_TRUE(MetricsHas("archivist_refreshes_total{outcome=\"not_found\"} 1"));
  EXPECT_TRUE(MetricsHas("archivist_events_total{kind=\"answer_added\"} 2"));
  EXPECT_TRUE(MetricsHas("archivist_threads_tracked 3"));
  EXPECT_TRUE(MetricsHas("archivist_threads_due 0"));
  EXPECT_TRUE(MetricsHas("archivist_threads_failing 1"));
  EXPECT_TRUE(MetricsHas("archivist_fetch_duration_seconds_count 3"));
  EXPECT_TRUE(MetricsHas("archivist_up 1"));
  const HttpGetResult health = Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  EXPECT_EQ(Get("/nope").status, 404);
  EXPECT_TRUE(notify_.WaitFor("WATCHDOG=1"));
  EXPECT_TRUE(notify_.WaitFor("STATUS=3 threads, 0 due, 1 failing, 0 in flight"));
  EXPECT_EQ(Stop(), 0);
  EXPECT_TRUE(notify_.Saw("STOPPING=1"));
  // Each thread was refreshed exactly once, and its next due time persisted.
  EXPECT_EQ(world_.started().size(), 3u);
  auto store = OpenStore();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->GetThread(Key(1))->schedule->interval_seconds, 5400);  // ×1.5, quiet
  EXPECT_EQ(store->GetThread(Key(2))->schedule->interval_seconds, 3600);  // ÷1.5, clamped
  EXPECT_EQ(store->GetThread(Key(3))->schedule->interval_seconds, 3600);  // failure: unchanged
}

// Regression: `archivist daemon` without store.path on a machine where
// $XDG_DATA_HOME/archivist did not exist yet refused to start ("unable to open database file").
TEST_F(ServiceTest, CreatesTheFolderOfTheDefaultStoreLocation) {
  const std::filesystem::path home = db_.string() + ".xdg";
  std::filesystem::remove_all(home);
  const char* state = std::getenv("STATE_DIRECTORY");
  const std::string saved_state = state ? state : "";
  const char* data = std::getenv("XDG_DATA_HOME");
  const std::string saved_data = data ? data : "";
  ::unsetenv("STATE_DIRECTORY");
  ::setenv("XDG_DATA_HOME", home.c_str(), 1);
  config::Config c = Config(1);
  c.store_path = config::DefaultStorePath();
  EXPECT_EQ(c.store_path, (home / "archivist" / "archive.db").string());
  Start(c, world_);
  EXPECT_EQ(Stop(), 0);
  EXPECT_TRUE(std::filesystem::exists(home / "archivist" / "archive.db"));
  ::unsetenv("XDG_DATA_HOME");
  if (data) ::setenv("XDG_DATA_HOME", saved_data.c_str(), 1);
  if (state) ::setenv("STATE_DIRECTORY", saved_state.c_str(), 1);
  std::filesystem::remove_all(home);
}

TEST_F(ServiceTest, SighupWithABrokenConfigKeepsTheOldOneAndAGoodOneApplies) {
  std::atomic<int> reloads{0};
  config::Config good = Config(4);
  reload_ = [&]() -> Result<config::Config> {
    if (++reloads == 1) {
      return Status::InvalidArgument("1 error(s) in a.toml:\n  a.toml:3:1: unknown key fetch.x");
    }
    return good;
  };
  Start(Config(3), world_);
  ASSERT_TRUE(WaitUntil([&] { return world_.finished() == 3; }));
  ::kill(::getpid(), SIGHUP);
  ASSERT_TRUE(WaitUntil([&] { return reloads == 1; }));
  EXPECT_EQ(Get("/healthz").status, 200);
  EXPECT_TRUE(MetricsHas("archivist_threads_tracked 3"));
  EXPECT_FALSE(returned_);
  ::kill(::getpid(), SIGHUP);
  ASSERT_TRUE(WaitUntil([&] { return world_.CountOf(4) == 1; }));  // the new [[thread]]
  EXPECT_TRUE(WaitUntil([&] { return MetricsHas("archivist_threads_tracked 4"); }));
  EXPECT_EQ(Stop(), 0);
}

TEST_F(ServiceTest, SigtermInTheMiddleOfASlowRefreshLetsItFinish) {
  world_.CloseGate();
  Start(Config(3), world_);
  ASSERT_TRUE(world_.WaitForWaiting(1));
  ::kill(::getpid(), SIGTERM);
  ASSERT_TRUE(notify_.WaitFor("STOPPING=1"));
  // The refresh is still held at the gate: the service waits for it.
  EXPECT_FALSE(returned_);
  const HttpGetResult health = Get("/healthz");
  EXPECT_EQ(health.status, 503);
  EXPECT_EQ(health.body, "stopping\n");
  world_.OpenGate();
  thread_.join();
  EXPECT_EQ(rc_, 0);
  // Only the one in flight ran; it finished and its schedule was stored.
  ASSERT_EQ(world_.started().size(), 1u);
  EXPECT_EQ(world_.finished(), 1);
  auto store = OpenStore();
  ASSERT_TRUE(store);
  const uint64_t id = world_.started()[0];
  EXPECT_EQ(store->GetThread(Key(id))->schedule->interval_seconds, 5400);
  for (uint64_t other : {1, 2, 3}) {
    if (other != id) {
      EXPECT_FALSE(store->GetThread(Key(other))->schedule.has_value());
    }
  }
}

// With the stop's CancelToken watched by the refreshers (as the pipeline's are), SIGTERM
// ends a refresh that would otherwise hang: the service returns at once, nothing of that
// refresh is stored (its thread keeps no schedule: due again at the next start).
TEST_F(ServiceTest, SigtermCancelsASlowRefreshAndStoresNothing) {
  CancelToken cancel;
  cancel_ = &cancel;
  world_.WatchCancel(&cancel);
  world_.CloseGate();
  Start(Config(3), world_);
  ASSERT_TRUE(world_.WaitForWaiting(1));
  const auto t0 = std::chrono::steady_clock::now();
  ::kill(::getpid(), SIGTERM);
  thread_.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  EXPECT_EQ(rc_, 0);
  EXPECT_TRUE(cancel.cancelled());
  EXPECT_EQ(exit_status_, -1);
  EXPECT_TRUE(notify_.Saw("STOPPING=1"));
  ASSERT_EQ(world_.started().size(), 1u);
  auto store = OpenStore();
  ASSERT_TRUE(store);
  for (uint64_t id : {1, 2, 3}) EXPECT_FALSE(store->GetThread(Key(id))->schedule.has_value()) << id;
}

// A refresh that does not heed the cancellation (stuck in a lock, say): the second SIGTERM
// ends the process at once, with status 128 + SIGTERM.
TEST_F(ServiceTest, ASecondSigtermExitsAtOnce) {
  CancelToken cancel;
  cancel_ = &cancel;
  world_.CloseGate();  // the world does not watch the token
  Start(Config(1), world_);
  ASSERT_TRUE(world_.WaitForWaiting(1));
  ::kill(::getpid(), SIGTERM);
  ASSERT_TRUE(notify_.WaitFor("STOPPING=1"));
  EXPECT_TRUE(cancel.cancelled());
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_FALSE(returned_);
  EXPECT_EQ(exit_status_, -1);
  ::kill(::getpid(), SIGTERM);
  EXPECT_TRUE(WaitUntil([&] { return exit_status_ == 128 + SIGTERM; })) << exit_status_;
}

TEST_F(ServiceTest, AStopThatHangsEndsAfterTheGracePeriod) {
  CancelToken cancel;
  cancel_ = &cancel;
  stop_grace_ = milliseconds(300);
  world_.CloseGate();
  Start(Config(1), world_);
  ASSERT_TRUE(world_.WaitForWaiting(1));
  const auto t0 = std::chrono::steady_clock::now();
  ::kill(::getpid(), SIGINT);
  ASSERT_TRUE(WaitUntil([&] { return exit_status_ == 1; })) << exit_status_;
  const auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(waited, milliseconds(300));
  EXPECT_LT(waited, milliseconds(3000));
}

TEST_F(ServiceTest, RestartResumesWithoutRefetchingEverything) {
  Start(Config(50), world_);
  ASSERT_TRUE(WaitUntil([&] { return world_.finished() == 50; }));
  EXPECT_EQ(Stop(), 0);
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    // Thread 7 comes due while the daemon is down.
    ASSERT_TRUE(store->SetSchedule(Key(7), {Timestamp::FromSeconds(1), 3600}).ok());
  }
  FakeWorld second;
  Start(Config(50), second);
  ASSERT_TRUE(WaitUntil([&] { return second.finished() == 1; }));
  ASSERT_TRUE(WaitUntil([&] { return MetricsHas("archivist_refreshes_in_flight 0"); }));
  EXPECT_TRUE(MetricsHas("archivist_threads_tracked 50"));
  EXPECT_TRUE(MetricsHas("archivist_threads_due 0"));
  EXPECT_EQ(Stop(), 0);
  EXPECT_EQ(second.started(), std::vector<model::QuestionId>{7});
}

}  // namespace
}  // namespace archivist::daemon::testing
