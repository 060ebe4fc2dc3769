// The status listener under abuse, over real loopback sockets: floods of idle connections,
// a process out of file descriptors, slow and oversized requests; and its client against
// servers that never stop talking or never answer.
#include "daemon/status_server.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace archivist::daemon {
namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

HttpReply Ok(const std::string& path) {
  return path == "/healthz" ? HttpReply{200, "text/plain; charset=utf-8", "ok\n"}
                            : HttpReply{404, "text/plain; charset=utf-8", "no\n"};
}

// A blocking TCP connection to 127.0.0.1:port (-1 when it fails).
int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  return fd;
}

// Reads until the peer closes or `limit` passes; returns what arrived.
std::string ReadAll(int fd, std::chrono::milliseconds limit) {
  timeval tv{static_cast<time_t>(limit.count() / 1000),
             static_cast<suseconds_t>(limit.count() % 1000 * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
  const auto end = Steady::now() + limit;
  while (Steady::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

// CPU seconds (user + system) a process has used, from /proc/<pid>/stat.
double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string f;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stoull(f);
    if (i == 15) stime = std::stoull(f);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::string Listen(int port) { return "127.0.0.1:" + std::to_string(port); }

TEST(StatusServerTest, AFloodOfIdleConnectionsIsCappedAndHealthzStillAnswers) {
  auto server = StatusServer::Start("127.0.0.1:0", Ok);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const int port = (*server)->port();
  std::vector<int> flood;
  for (int i = 0; i < 1000; ++i) {
    const int fd = Connect(port);
    ASSERT_GE(fd, 0) << i;
    flood.push_back(fd);
  }
  ASSERT_TRUE(WaitUntil([&] { return (*server)->stats().accepted >= 1000; }))
      << (*server)->stats().accepted;
  EXPECT_LE((*server)->stats().open, 64);
  EXPECT_GE((*server)->stats().dropped, 1000u - 64u);
  const auto t0 = Steady::now();
  Result<HttpGetResult> health = HttpGet(Listen(port), "/healthz", 2000);
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok\n");
  EXPECT_LT(Steady::now() - t0, 1s);
  for (int fd : flood) ::close(fd);
}

// The listener in a child process with RLIMIT_NOFILE far below its connection cap, flooded
// from here: accept fails with EMFILE. It must neither spin nor stop serving /healthz.
TEST(StatusServerTest, OutOfDescriptorsItNeitherSpinsNorStopsServing) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    rlimit low{40, 40};
    if (::setrlimit(RLIMIT_NOFILE, &low) != 0) ::_exit(3);
    auto server = StatusServer::Start("127.0.0.1:0", Ok);
    if (!server.ok()) ::_exit(4);
    const int port = (*server)->port();
    if (::write(pipe_fds[1], &port, sizeof port) != sizeof port) ::_exit(5);
    for (;;) ::pause();
  }
  ::close(pipe_fds[1]);
  int port = 0;
  ASSERT_EQ(::read(pipe_fds[0], &port, sizeof port), static_cast<ssize_t>(sizeof port));
  ::close(pipe_fds[0]);
  std::vector<int> flood;
  for (int i = 0; i < 300; ++i) {
    const int fd = Connect(port);
    if (fd >= 0) flood.push_back(fd);
  }
  EXPECT_EQ(flood.size(), 300u);
  std::this_thread::sleep_for(500ms);  // the child works through the backlog
  const double cpu0 = CpuSeconds(child);
  std::this_thread::sleep_for(2s);
  const double cpu = CpuSeconds(child) - cpu0;
  const auto t0 = Steady::now();
  Result<HttpGetResult> health = HttpGet(Listen(port), "/healthz", 3000);
  const auto waited = Steady::now() - t0;
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  for (int fd : flood) ::close(fd);
  EXPECT_LT(cpu, 0.5) << "CPU seconds used in 2 s while out of descriptors";
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ(health->status, 200);
  EXPECT_LT(waited, 2s);
}

TEST(StatusServerTest, ASlowRequestIsCutOffAtTheTimeout) {
  StatusServerLimits limits;
  limits.request_timeout = 300ms;
  auto server = StatusServer::Start("127.0.0.1:0", Ok, limits);
  ASSERT_TRUE(server.ok());
  const int fd = Connect((*server)->port());
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::send(fd, "GET /hea", 8, 0), 8);
  const auto t0 = Steady::now();
  EXPECT_EQ(ReadAll(fd, 5s), "");  // closed without a reply
  EXPECT_LT(Steady::now() - t0, 2s);
  ::close(fd);
  EXPECT_TRUE(WaitUntil([&] { return (*server)->stats().timed_out == 1; }));
  // The count is taken as the connection is cut, its close is booked just after.
  EXPECT_TRUE(WaitUntil([&] { return (*server)->stats().open == 0; }));
}

TEST(StatusServerTest, AnOversizedRequestIsAnswered431AndClosed) {
  StatusServerLimits limits;
  limits.max_request = 1024;
  auto server = StatusServer::Start("127.0.0.1:0", Ok, limits);
  ASSERT_TRUE(server.ok());
  const int fd = Connect((*server)->port());
  ASSERT_GE(fd, 0);
  const std::string head = "GET /healthz HTTP/1.0\r\nX-Junk: " + std::string(4000, 'a');
  ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  EXPECT_EQ(ReadAll(fd, 5s).rfind("HTTP/1.0 431 ", 0), 0u);
  ::close(fd);
  EXPECT_EQ((*server)->stats().too_large, 1u);
}

TEST(StatusServerTest, OnlyGetIsServed) {
  auto server = StatusServer::Start("127.0.0.1:0", Ok);
  ASSERT_TRUE(server.ok());
  const int fd = Connect((*server)->port());
  ASSERT_GE(fd, 0);
  ::send(fd, "POST /healthz HTTP/1.0\r\n\r\n", 26, MSG_NOSIGNAL);
  EXPECT_EQ(ReadAll(fd, 5s).rfind("HTTP/1.0 405 ", 0), 0u);
  ::close(fd);
}

TEST(StatusServerTest, AddressesAreReadAsTheConfigurationReadsThem) {
  auto local = StatusServer::Start("localhost:0", Ok);
  ASSERT_TRUE(local.ok()) << local.status().ToString();
  Result<HttpGetResult> health = HttpGet("localhost:" + std::to_string((*local)->port()), "/healthz");
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ(health->status, 200);
  auto named = StatusServer::Start("example.com:0", Ok);
  ASSERT_FALSE(named.ok());
  EXPECT_EQ(named.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(named.status().message().find("\"example.com\" is not an IP address"),
            std::string::npos) << named.status().message();
}

// A server of the test's on 127.0.0.1: accepts one connection and runs `talk` on it.
class RawServer {
 public:
  explicit RawServer(std::function<void(int)> talk) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(listener_, 4);
    socklen_t len = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this, talk = std::move(talk)] {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd >= 0) {
        talk(fd);
        ::close(fd);
      }
    });
  }
  ~RawServer() {
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  int port() const { return port_; }

 private:
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST(HttpGetTest, AReplyThatNeverEndsIsCutAtTheCapNamingTheAddress) {
  std::atomic<size_t> sent{0};
  RawServer endless([&](int fd) {
    const std::string chunk = "HTTP/1.0 200 OK\r\n\r\n" + std::string(65536, 'x');
    while (::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) > 0) sent += chunk.size();
  });
  const auto t0 = Steady::now();
  Result<HttpGetResult> r = HttpGet(Listen(endless.port()), "/metrics", 10'000, 256 << 10);
  EXPECT_LT(Steady::now() - t0, 5s);
  ASSERT_FALSE(r.ok());
  const std::string m = r.status().message();
  EXPECT_NE(m.find("http://" + Listen(endless.port()) + "/metrics"), std::string::npos) << m;
  EXPECT_NE(m.find("exceeds 262144 bytes"), std::string::npos) << m;
}

TEST(HttpGetTest, AServerThatNeverAnswersIsGivenUpAtTheDeadline) {
  RawServer mute([](int fd) { ReadAll(fd, 3s); });
  const auto t0 = Steady::now();
  Result<HttpGetResult> r = HttpGet(Listen(mute.port()), "/healthz", 500);
  const auto waited = Steady::now() - t0;
  EXPECT_GE(waited, 450ms);
  EXPECT_LT(waited, 2s);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no complete reply from http://" + Listen(mute.port()) +
                                      "/healthz within 500 ms"),
            std::string::npos) << r.status().message();
}

TEST(HttpGetTest, NothingListeningSaysSo) {
  Result<HttpGetResult> r = HttpGet("127.0.0.1:1", "/healthz", 2000);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no daemon answers on 127.0.0.1:1"), std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace archivist::daemon
