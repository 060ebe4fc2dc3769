// A small blocking HTTP/1.1 server on standalone asio, for tests: one thread per connection,
// keep-alive, GET/PUT/POST/DELETE with Content-Length bodies. The handler returns a Reply,
// which can also misbehave on purpose (delay, cut the body short, reset the connection,
// stream a huge body, never finish) so the client's failure paths meet real sockets. A
// misbehaving reply holds only its own connection and thread.
//
// Thread-safety: the handler is called concurrently from connection threads.
#ifndef ARCHIVIST_TESTS_MOCK_ZHIHU_HTTP_SERVER_H_
#define ARCHIVIST_TESTS_MOCK_ZHIHU_HTTP_SERVER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace mock_zhihu {

struct Request {
  std::string method;
  std::string target;  // path and query as sent
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  std::string Header(const std::string& lower_name) const;
  std::string Path() const;               // target without the query
  std::string Query(const std::string& name) const;  // a query parameter's raw value, or ""
};

struct Reply {
  enum class Misbehave {
    kNone,
    kCutBody,  // declare the full Content-Length, send half the body, close
    kReset,    // send nothing, reset the connection (RST)
    kHuge,     // stream `huge_bytes` of padding as a JSON string; body is ignored
    kHold,     // declare a Content-Length past the body, send the body, then hold the
               // connection open until the client closes it (a load that never finishes)
  };
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int delay_ms = 0;  // wait before answering
  Misbehave misbehave = Misbehave::kNone;
  uint64_t huge_bytes = 0;
};

using Handler = std::function<Reply(const Request&)>;

// Listens on `bind:port` (port 0 = ephemeral), writes the bound port to *bound_port, then
// serves forever. Returns a message when it cannot listen.
std::string Serve(const std::string& bind, uint16_t port, Handler handler,
                  const std::function<void(uint16_t)>& on_listening);

}  // namespace mock_zhihu

#endif  // ARCHIVIST_TESTS_MOCK_ZHIHU_HTTP_SERVER_H_
