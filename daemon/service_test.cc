// The daemon end to end, in-process: the real Service (asio loop, signals, sd_notify, status
// listener, worker pool, SqliteStore) with a FakeRefresher in place of the pipeline. Signals
// are real (kill(getpid(), …)); sd_notify messages arrive on a unix datagram socket this test
// binds and names in $NOTIFY_SOCKET. Waits are for conditions (capped at 30 s against hangs),
// never for durations.
#include "daemon/service.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <thread>

#include "base/fake_clock.h"
#include "daemon/fake_refresher.h"
#include "daemon/logging.h"
#include "daemon/pipeline_refresher.h"
#include "daemon/status_server.h"
#include "daemon/zhihu_hot_list.h"
#include "fetch/curl_http_client.h"
#include "store/sqlite_store.h"
#include "tests/support/mock_process.h"

namespace archivist::daemon {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

bool WaitUntil(const std::function<bool()>& done) {
  for (int i = 0; i < 3000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return done();
}

// Receives sd_notify datagrams.
class NotifySocket {
 public:
  NotifySocket() {
    path_ = std::filesystem::temp_directory_path() /
            ("archivist_notify_" + std::to_string(::getpid()) + ".sock");
    std::filesystem::remove(path_);
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
    ok_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
    reader_ = std::thread([this] {
      char buf[4096];
      for (;;) {
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return;
        std::lock_guard lock(mu_);
        if (std::string(buf, n) == "QUIT") return;
        messages_.emplace_back(buf, n);
      }
    });
  }
  ~NotifySocket() {
    ::unsetenv("NOTIFY_SOCKET");
    const int s = ::socket(AF_UNIX, SOCK_DGRAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
    ::sendto(s, "QUIT", 4, 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::close(s);
    reader_.join();
    ::close(fd_);
    std::filesystem::remove(path_);
  }
  bool ok() const { return ok_; }
  std::vector<std::string> messages() {
    std::lock_guard lock(mu_);
    return messages_;
  }
  bool Saw(const std::string& part) {
    for (const std::string& m : messages()) {
      if (m.find(part) != std::string::npos) return true;
    }
    return false;
  }
  bool WaitFor(const std::string& part) {
    return WaitUntil([&] { return Saw(part); });
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool ok_ = false;
  std::thread reader_;
  std::mutex mu_;
  std::vector<std::string> messages_;
};

class ServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { SetUpLogging(); }
  void SetUp() override {
    db_ = std::filesystem::temp_directory_path() /
          ("archivist_service_" + std::to_string(::getpid()) + ".db");
    Remove();
    ASSERT_TRUE(notify_.ok());
  }
  void TearDown() override {
    if (thread_.joinable()) {
      service_->RequestStop();
      world_.OpenGate();
      thread_.join();
    }
    Remove();
  }
  void Remove() {
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(db_.string() + s);
  }

  config::Config Config(int threads) {
    config::Config c;
    c.store_path = db_.string();
    c.daemon.status_listen = "127.0.0.1:0";
    c.schedule.min_interval = hours(1);
    c.schedule.initial_interval = hours(1);
    c.schedule.max_interval = hours(2);
    c.fetch.concurrency = 2;
    c.fetch.per_host_concurrency = 1;
    for (int i = 1; i <= threads; ++i) c.threads.push_back({std::to_string(i), i});
    return c;
  }

  void Start(config::Config c, FakeWorld& world, HotListFactory hot = nullptr) {
    Start(std::move(c), world.Factory(), std::move(hot));
  }
  void Start(config::Config c, RefresherFactory refreshers, HotListFactory hot,
             Clock* clock = nullptr) {
    ServiceOptions o;
    o.reload_config = [this]() { return reload_(); };
    o.refreshers = std::move(refreshers);
    o.hot_lists = std::move(hot);
    o.clock = clock;
    o.tick = milliseconds(20);
    o.rescan = milliseconds(200);
    service_ = std::make_unique<Service>(std::move(c), std::move(o));
    returned_ = false;
    thread_ = std::thread([this] {
      rc_ = service_->Run();
      returned_ = true;
    });
    ASSERT_TRUE(notify_.WaitFor("READY=1"));
    ASSERT_TRUE(WaitUntil([&] { return service_->status_port() != 0; }));
    listen_ = "127.0.0.1:" + std::to_string(service_->status_port());
  }
  int Stop() {
    service_->RequestStop();
    thread_.join();
    return rc_;
  }
  HttpGetResult Get(const std::string& path) {
    Result<HttpGetResult> r = HttpGet(listen_, path);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : HttpGetResult{};
  }
  bool MetricsHas(const std::string& line) {
    return Get("/metrics").body.find("\n" + line + "\n") != std::string::npos;
  }
  // mock_zhihu serving the fixture questions (null when it cannot start), and `c` pointed at
  // it with no politeness delay.
  std::unique_ptr<e2e::MockProcess> StartMock(config::Config& c,
                                              const std::vector<std::string>& extra = {}) {
    const std::string data = e2e::TestData();
    EXPECT_FALSE(data.empty()) << "ARCHIVIST_TEST_DATA is not set";
    auto mock = std::make_unique<e2e::MockProcess>(
        std::vector<std::string>{data + "/zhihu/questions"}, extra);
    EXPECT_TRUE(mock->ok()) << mock->error();
    c.zhihu.base_url = mock->base_url();
    c.fetch.per_host_delay = milliseconds(0);
    return mock->ok() ? std::move(mock) : nullptr;
  }
  std::unique_ptr<store::SqliteStore> OpenStore() {
    auto s = store::SqliteStore::Open(db_.string());
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  std::filesystem::path db_;
  NotifySocket notify_;
  FakeWorld world_;
  std::function<Result<config::Config>()> reload_ = [] {
    return Result<config::Config>(Status::InvalidArgument("no reload in this test"));
  };
  std::unique_ptr<Service> service_;
  std::thread thread_;
  std::atomic<int> rc_{-1};
  std::atomic<bool> returned_{false};
  std::string listen_;
};

store::ThreadKey Key(uint64_t id) { return {std::string(store::kZhihu), id}; }

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
  // After track_for, every discovered thread is retired: kept, queryable, not refreshed.
  ASSERT_TRUE(WaitUntil([&] { return MetricsHas("archivist_threads_tracked 0"); }));
  threads = store->ListThreads();
  ASSERT_TRUE(threads.ok());
  EXPECT_EQ(threads->size(), n);
  for (const store::ThreadSummary& t : *threads) {
    EXPECT_EQ(t.tracking, store::Tracking::kRetired) << t.key.id;
  }
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
}  // namespace archivist::daemon
