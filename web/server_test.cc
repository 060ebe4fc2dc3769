// The viewer's HTTP server on a real socket: replies carry the security headers, oversized
// and non-GET requests are refused, and idle connections beyond the pool do not lock it out.
#include "web/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <vector>

#include "store/sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace archivist::web {
namespace {

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  timeval tv{20, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

// Sends `request` on a new connection and returns everything read until the server closes.
std::string Exchange(int port, const std::string& request) {
  const int fd = Connect(port);
  EXPECT_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) reply.append(buf, static_cast<size_t>(n));
  close(fd);
  return reply;
}

class ServerTest : public ::testing::Test {
 protected:
  void Start(ServerLimits limits = {}) {
    auto opened = store::SqliteStore::Open(dir_.path() + "/a.db");
    ASSERT_TRUE(opened.ok());
    store_ = std::move(*opened);
    site_ = std::make_unique<Site>(*store_, SiteOptions{});
    auto server = Server::Start("127.0.0.1:0", *site_, limits);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }
  test_support::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Site> site_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, ServesPagesWithTheSecurityHeaders) {
  Start();
  const std::string reply =
      Exchange(server_->port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply.substr(0, 200);
  EXPECT_NE(reply.find("Content-Security-Policy: default-src 'none'"), std::string::npos);
  EXPECT_NE(reply.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_NE(reply.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
  const std::string missing = Exchange(
      server_->port(), "GET /question/9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(missing.starts_with("HTTP/1.1 404")) << missing.substr(0, 200);
  EXPECT_NE(missing.find("Content-Security-Policy"), std::string::npos);
}

TEST_F(ServerTest, RefusesOversizedAndNonGetRequests) {
  Start();
  const std::string big = Exchange(server_->port(), "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                                        std::string(20000, 'a') + "\r\n\r\n");
  EXPECT_FALSE(big.starts_with("HTTP/1.1 200")) << big.substr(0, 200);
  const std::string post = Exchange(
      server_->port(),
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
  EXPECT_FALSE(post.starts_with("HTTP/1.1 200")) << post.substr(0, 200);
}

// Sockets this process holds (the test's client ends and the server's ends alike).
int Sockets() {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    n += std::filesystem::read_symlink(entry.path(), ec).string().starts_with("socket:");
  }
  return n;
}

TEST_F(ServerTest, AcceptsNoMoreConnectionsThanThePoolAndItsQueue) {
  Start({.threads = 1, .max_queued = 2, .io_timeout = std::chrono::seconds(1), .keep_alive_max = 1});
  const int before = Sockets();
  std::vector<int> idle;
  // 8: more than the server takes, fewer than its listen backlog holds besides (so that no
  // connect waits for a SYN retry).
  for (int i = 0; i < 8; ++i) idle.push_back(Connect(server_->port()));
  usleep(300 * 1000);  // time for the server to accept what it will
  const int accepted = Sockets() - before - 8;
  // One being served, two queued, one held by the accept loop waiting for room.
  EXPECT_LE(accepted, 4) << "max_queued " << 2;
  EXPECT_GE(accepted, 1);
  for (int fd : idle) close(fd);
}

TEST_F(ServerTest, IdleConnectionsBeyondThePoolDoNotLockItOut) {
  Start({.threads = 1, .max_queued = 2, .io_timeout = std::chrono::seconds(1), .keep_alive_max = 1});
  std::vector<int> idle;
  for (int i = 0; i < 6; ++i) idle.push_back(Connect(server_->port()));
  const auto start = std::chrono::steady_clock::now();
  const std::string reply =
      Exchange(server_->port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply.substr(0, 200);
  EXPECT_LT(waited, std::chrono::seconds(15));  // each idle one is cut off after 1 s
  for (int fd : idle) close(fd);
}

}  // namespace
}  // namespace archivist::web
