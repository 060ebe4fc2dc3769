// StatusServer: a tiny HTTP/1.0 server for GET /healthz and GET /metrics, on its own thread
// with its own asio io_context, so that it can report a stalled event loop.
//
// Each connection sends one request (its head at most `max_request` bytes), gets the
// handler's reply and is closed; the whole exchange must finish within `request_timeout`
// (a client that trickles its request, or never reads the reply, is cut off). Anything but
// GET gets 405, an oversized head 431; the handler decides the rest.
//
// It must stay small whatever the clients do, because it shares the process's file
// descriptors with the refreshes (docs/security.md):
//   - at most `max_connections` are open at once: a new connection beyond that closes the
//     oldest one still waiting for its request (a flood of idle connections cannot lock out
//     /healthz, and costs at most that many descriptors);
//   - when accept fails for want of descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM)
//     it closes its oldest idle connection and accepts again with the freed descriptor, or,
//     with none of its own to close, pauses accepting for `accept_pause` instead of retrying
//     at once (which spins a core); it logs one warning per minute at most.
//
// Thread-safety: the handler is called on the server's thread; stats(), port() and Stop()
// from any thread.
#ifndef ARCHIVIST_DAEMON_STATUS_SERVER_H_
#define ARCHIVIST_DAEMON_STATUS_SERVER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"

namespace archivist::daemon {

struct HttpReply {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};
using HttpHandler = std::function<HttpReply(const std::string& path)>;

struct StatusServerLimits {
  int max_connections = 64;
  std::chrono::milliseconds request_timeout{5000};
  size_t max_request = 8192;
  std::chrono::milliseconds accept_pause{100};
};

struct StatusServerStats {
  uint64_t accepted = 0;       // connections accepted
  uint64_t dropped = 0;        // closed to make room (at the cap, or out of descriptors)
  uint64_t timed_out = 0;      // cut off by request_timeout
  uint64_t too_large = 0;      // request head over max_request (answered 431)
  uint64_t accept_errors = 0;  // failed accepts (EMFILE, …)
  int open = 0;                // connections open now
};

class StatusServer {
 public:
  // Binds `listen` (config/listen_address.h; port 0 picks a free one) and starts serving.
  // Fails with kInvalidArgument for a bad address, kUnavailable when it cannot be bound.
  static Result<std::unique_ptr<StatusServer>> Start(const std::string& listen,
                                                     HttpHandler handler,
                                                     StatusServerLimits limits = {});
  ~StatusServer();
  StatusServer(const StatusServer&) = delete;
  StatusServer& operator=(const StatusServer&) = delete;

  int port() const;  // the bound port
  StatusServerStats stats() const;
  void Stop();       // idempotent; joins the thread

 private:
  struct Impl;
  explicit StatusServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A blocking GET of http://<listen><path>, for `archivist status` and tests. The reply is
// bounded in time (`timeout_ms` for the whole exchange) and in size (`max_reply` bytes; the
// daemon's replies are a few KiB): whatever answers at that address, the caller gets an
// error naming the address instead of waiting or growing without end.
struct HttpGetResult {
  int status = 0;
  std::string body;
};
inline constexpr size_t kMaxStatusReply = 1 << 20;
Result<HttpGetResult> HttpGet(const std::string& listen, const std::string& path,
                              int timeout_ms = 5000, size_t max_reply = kMaxStatusReply);

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_STATUS_SERVER_H_
