// The status listener's client against servers that never stop talking or never answer.
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

std::string Listen(int port) { return "127.0.0.1:" + std::to_string(port); }

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
