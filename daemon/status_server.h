// StatusServer: a tiny HTTP/1.0 server for GET /healthz and GET /metrics, on its own thread
// with its own asio io_context, so that it can report a stalled event loop.
//
// It reads one request (head up to 8 KiB, 5 s to arrive), answers it with the handler's
// reply and closes the connection. Anything but GET gets 405; the handler decides the rest.
//
// Thread-safety: the handler is called on the server's thread; Stop/destructor from any
// other thread.
#ifndef ARCHIVIST_DAEMON_STATUS_SERVER_H_
#define ARCHIVIST_DAEMON_STATUS_SERVER_H_

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

class StatusServer {
 public:
  // Binds `listen` (config/listen_address.h; port 0 picks a free one) and starts serving. Fails with
  // kInvalidArgument for a bad address, kUnavailable when the address cannot be bound.
  static Result<std::unique_ptr<StatusServer>> Start(const std::string& listen,
                                                     HttpHandler handler);
  ~StatusServer();
  StatusServer(const StatusServer&) = delete;
  StatusServer& operator=(const StatusServer&) = delete;

  int port() const;  // the bound port
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
