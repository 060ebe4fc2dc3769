#include "daemon/status_server.h"

#include <asio.hpp>

#include <chrono>
#include <thread>

#include "daemon/http_request.h"

namespace archivist::daemon {
namespace {

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::ip::tcp::socket socket, const HttpHandler& handler)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), buffer_(8192),
        handler_(handler) {}

  void Start() {
    auto self = shared_from_this();
    timer_.expires_after(std::chrono::seconds(5));
    timer_.async_wait([self](const asio::error_code& ec) {
      if (!ec) self->socket_.close();
    });
    asio::async_read_until(socket_, buffer_, "\r\n\r\n",
                           [self](const asio::error_code& ec, size_t) { self->OnHead(ec); });
  }

 private:
  void OnHead(const asio::error_code& ec) {
    if (ec) return Close();
    const auto head = buffer_.data();
    const RequestLine request = ParseRequestHead(
        std::string(asio::buffers_begin(head), asio::buffers_end(head)));
    HttpReply reply;
    if (request.method != "GET") {
      reply = {405, "text/plain; charset=utf-8", "only GET is served\n"};
    } else {
      reply = handler_(request.path);
    }
    response_ = "HTTP/1.0 " + std::to_string(reply.status) + " " + Reason(reply.status) +
                "\r\nContent-Type: " + reply.content_type +
                "\r\nContent-Length: " + std::to_string(reply.body.size()) +
                "\r\nConnection: close\r\n\r\n" + reply.body;
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(response_),
                      [self](const asio::error_code&, size_t) { self->Close(); });
  }
  void Close() {
    asio::error_code ignored;
    timer_.cancel();
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  asio::streambuf buffer_;
  const HttpHandler& handler_;
  std::string response_;
};

}  // namespace

struct StatusServer::Impl {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor{io};
  HttpHandler handler;
  std::thread thread;
  int port = 0;

  void Accept() {
    acceptor.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) std::make_shared<Connection>(std::move(socket), handler)->Start();
      Accept();
    });
  }
};

Status SplitHostPort(const std::string& listen, std::string* host, int* port) {
  const size_t colon = listen.rfind(':');
  auto bad = [&] {
    return Status::InvalidArgument("status address \"" + listen + "\" is not HOST:PORT");
  };
  if (colon == std::string::npos || colon == 0) return bad();
  *host = listen.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  const std::string p = listen.substr(colon + 1);
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) {
    return bad();
  }
  *port = std::stoi(p);
  return *port <= 65535 ? Status::Ok() : bad();
}

Result<std::unique_ptr<StatusServer>> StatusServer::Start(const std::string& listen,
                                                           HttpHandler handler) {
  std::string host;
  int port = 0;
  ARCHIVIST_RETURN_IF_ERROR(SplitHostPort(listen, &host, &port));
  asio::error_code ec;
  const asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) {
    return Status::InvalidArgument("status address \"" + listen + "\": \"" + host +
                                   "\" is not an IP address");
  }
  auto impl = std::make_unique<Impl>();
  impl->handler = std::move(handler);
  const asio::ip::tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + listen + " (daemon.status_listen): " +
                               ec.message());
  }
  impl->port = impl->acceptor.local_endpoint(ec).port();
  impl->Accept();
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->io.run(); });
  return std::unique_ptr<StatusServer>(new StatusServer(std::move(impl)));
}

StatusServer::StatusServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StatusServer::~StatusServer() { Stop(); }
int StatusServer::port() const { return impl_->port; }

void StatusServer::Stop() {
  if (!impl_->thread.joinable()) return;
  asio::post(impl_->io, [this] {
    asio::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  impl_->io.stop();
  impl_->thread.join();
}

Result<HttpGetResult> HttpGet(const std::string& listen, const std::string& path,
                              int timeout_ms) {
  std::string host;
  int port = 0;
  ARCHIVIST_RETURN_IF_ERROR(SplitHostPort(listen, &host, &port));
  asio::io_context io;
  asio::error_code ec;
  const asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) return Status::InvalidArgument("\"" + host + "\" is not an IP address");
  asio::ip::tcp::socket socket(io);
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: " + listen + "\r\n\r\n";
  std::string response;
  asio::error_code result = asio::error::timed_out;
  socket.async_connect({address, static_cast<unsigned short>(port)}, [&](asio::error_code e) {
    if (e) {
      result = e;
      return;
    }
    asio::async_write(socket, asio::buffer(request), [&](asio::error_code e2, size_t) {
      if (e2) {
        result = e2;
        return;
      }
      asio::async_read(socket, asio::dynamic_buffer(response), [&](asio::error_code e3, size_t) {
        result = e3 == asio::error::eof ? asio::error_code() : e3;
      });
    });
  });
  io.run_for(std::chrono::milliseconds(timeout_ms));
  if (result) return Status::Unavailable("GET http://" + listen + path + ": " + result.message());
  HttpGetResult out;
  if (std::sscanf(response.c_str(), "HTTP/%*s %d", &out.status) != 1) {
    return Status::Unavailable("GET http://" + listen + path + ": not an HTTP response");
  }
  const size_t body = response.find("\r\n\r\n");
  out.body = body == std::string::npos ? "" : response.substr(body + 4);
  return out;
}

}  // namespace archivist::daemon
