// The fixture of the in-process Service tests (service_test.cc, service_status_test.cc): the
// real Service (asio loop, signals, sd_notify, status listener, worker pool, SqliteStore) with a
// FakeRefresher in place of the pipeline. sd_notify messages arrive on a unix datagram socket
// the fixture binds and names in $NOTIFY_SOCKET. Waits are for conditions (capped at 30 s
// against hangs), never for durations. Tests only.
#ifndef ARCHIVIST_DAEMON_SERVICE_TEST_UTIL_H_
#define ARCHIVIST_DAEMON_SERVICE_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "daemon/fake_refresher.h"
#include "daemon/logging.h"
#include "daemon/service.h"
#include "daemon/status_server.h"
#include "store/sqlite_store.h"
#include "tests/support/mock_process.h"

namespace archivist::daemon::testing {

using std::chrono::hours;
using std::chrono::milliseconds;

inline bool WaitUntil(const std::function<bool()>& done) {
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
    o.cancel = cancel_;
    o.stop_grace = stop_grace_;
    o.exit_now = [this](int status) { exit_status_ = status; };
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
  CancelToken* cancel_ = nullptr;
  milliseconds stop_grace_{10'000};
  std::atomic<int> exit_status_{-1};  // what exit_now was called with
};

inline store::ThreadKey Key(uint64_t id) { return {std::string(store::kZhihu), id}; }

}  // namespace archivist::daemon::testing

#endif  // ARCHIVIST_DAEMON_SERVICE_TEST_UTIL_H_
