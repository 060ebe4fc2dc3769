// web/server: the viewer's HTTP server — web/site.h on a socket, through cpp-httplib (the
// only user of cpp-httplib in archivist; docs/design.md says why this library).
//
// Bounds, whatever the clients do:
//   - connections: `threads` are served at once and at most `max_queued` more wait for a
//     thread; beyond that the server stops accepting until one is done, so further clients
//     wait in the kernel's listen backlog and cost no descriptor of ours;
//   - time: every read and every write of a connection waits at most `io_timeout`; a
//     connection serves at most `keep_alive_max` requests and is closed after
//     `io_timeout` idle;
//   - size: the request line and each header line at most 8 KiB (cpp-httplib's limits), no
//     body accepted (a GET has none; a longer payload gets 413). Only GET and HEAD are served.
//
// Thread-safety: Start, port and Stop from one thread; the site is called on the server's
// threads (Site serializes its own calls).
#ifndef ARCHIVIST_WEB_SERVER_H_
#define ARCHIVIST_WEB_SERVER_H_

#include <chrono>
#include <memory>
#include <string>

#include "base/status.h"
#include "web/site.h"

namespace archivist::web {

struct ServerLimits {
  int threads = 4;
  int max_queued = 60;
  std::chrono::seconds io_timeout{5};
  int keep_alive_max = 5;
};

class Server {
 public:
  // Binds `listen` (config/listen_address.h; port 0 picks a free one) and starts serving
  // `site` on its own threads. kInvalidArgument for a bad address, kUnavailable when it
  // cannot be bound.
  static Result<std::unique_ptr<Server>> Start(const std::string& listen, Site& site,
                                               ServerLimits limits = {});
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;
  void Stop();  // idempotent; waits for the requests in progress

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace archivist::web

#endif  // ARCHIVIST_WEB_SERVER_H_
