// HttpGet (status_server.h): the client half of the status listener, for `archivist status`.
//
// Whatever answers at the address may be hostile or broken (another program on that port, a
// server that streams for ever, one that accepts and never answers), so the reply is read in
// chunks into a buffer that may not grow past max_reply, and the whole exchange runs on
// io_context::run_for with the deadline. Every error names the URL.
#include <asio.hpp>

#include <cstdio>

#include "config/listen_address.h"
#include "daemon/status_server.h"

namespace archivist::daemon {
namespace {

std::string Size(size_t bytes) {
  return bytes % (1 << 20) == 0 ? std::to_string(bytes >> 20) + " MiB"
                                : std::to_string(bytes) + " bytes";
}

// One GET on one io_context; the handlers chain connect → write → read-some loop.
class Exchange {
 public:
  Exchange(asio::io_context& io, std::string request, size_t max_reply)
      : socket_(io), request_(std::move(request)), max_reply_(max_reply) {}

  void Start(const asio::ip::tcp::endpoint& to) {
    socket_.async_connect(to, [this](const asio::error_code& ec) {
      if (ec) return Finish(ec, false);
      asio::async_write(socket_, asio::buffer(request_), [this](const asio::error_code& e, size_t) {
        if (e) return Finish(e, true);
        Read();
      });
    });
  }

  bool done() const { return done_; }
  bool connected() const { return connected_; }
  bool too_large() const { return too_large_; }
  const asio::error_code& error() const { return error_; }
  const std::string& response() const { return response_; }

 private:
  void Read() {
    socket_.async_read_some(asio::buffer(chunk_), [this](const asio::error_code& ec, size_t n) {
      if (n > max_reply_ - std::min(max_reply_, response_.size())) {
        too_large_ = true;
        return Finish({}, true);
      }
      response_.append(chunk_, n);
      if (ec == asio::error::eof) return Finish({}, true);
      if (ec) return Finish(ec, true);
      Read();
    });
  }
  void Finish(const asio::error_code& ec, bool connected) {
    done_ = true;
    connected_ = connected;
    error_ = ec;
    asio::error_code ignored;
    socket_.close(ignored);
  }

  asio::ip::tcp::socket socket_;
  std::string request_;
  size_t max_reply_;
  char chunk_[16384];
  std::string response_;
  asio::error_code error_;
  bool done_ = false, connected_ = false, too_large_ = false;
};

}  // namespace

Result<HttpGetResult> HttpGet(const std::string& listen, const std::string& path,
                              int timeout_ms, size_t max_reply) {
  Result<config::ListenAddress> parsed = config::ParseListenAddress(listen);
  if (!parsed.ok()) return Status::InvalidArgument("status address " + parsed.status().message());
  asio::error_code ec;
  const asio::ip::address address = asio::ip::make_address(parsed->host, ec);
  if (ec) return Status::InvalidArgument("status address \"" + listen + "\": " + ec.message());
  const std::string url = "http://" + parsed->ToString() + path;
  asio::io_context io;
  Exchange exchange(io, "GET " + path + " HTTP/1.0\r\nHost: " + parsed->ToString() + "\r\n\r\n",
                    max_reply);
  exchange.Start({address, static_cast<unsigned short>(parsed->port)});
  io.run_for(std::chrono::milliseconds(timeout_ms));
  if (!exchange.done()) {
    return Status::Unavailable("no complete reply from " + url + " within " +
                               std::to_string(timeout_ms) + " ms");
  }
  if (!exchange.connected()) {
    return Status::Unavailable("no daemon answers on " + parsed->ToString() + ": " +
                               exchange.error().message());
  }
  if (exchange.too_large()) {
    return Status::Unavailable("the reply from " + url + " exceeds " + Size(max_reply) +
                               " (the daemon's replies are a few KiB): not an archivist "
                               "status listener");
  }
  if (exchange.error()) return Status::Unavailable("GET " + url + ": " + exchange.error().message());
  HttpGetResult out;
  const std::string& response = exchange.response();
  if (std::sscanf(response.c_str(), "HTTP/%*s %d", &out.status) != 1) {
    return Status::Unavailable("the reply from " + url + " is not HTTP");
  }
  const size_t body = response.find("\r\n\r\n");
  out.body = body == std::string::npos ? "" : response.substr(body + 4);
  return out;
}

}  // namespace archivist::daemon
