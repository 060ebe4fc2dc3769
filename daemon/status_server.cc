#include "daemon/status_server.h"

#include <asio.hpp>

#include <chrono>
#include <thread>

#include "config/listen_address.h"

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
    std::istream in(&buffer_);
    std::string method, target;
    in >> method >> target;
    HttpReply reply;
    if (method != "GET") {
      reply = {405, "text/plain; charset=utf-8", "only GET is served\n"};
    } else {
      reply = handler_(target.substr(0, target.find('?')));
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

Result<std::unique_ptr<StatusServer>> StatusServer::Start(const std::string& listen,
                                                           HttpHandler handler) {
  Result<config::ListenAddress> parsed = config::ParseListenAddress(listen);
  if (!parsed.ok()) {
    return Status::InvalidArgument("status address " + parsed.status().message());
  }
  asio::error_code ec;
  const asio::ip::address address = asio::ip::make_address(parsed->host, ec);
  if (ec) return Status::InvalidArgument("status address \"" + listen + "\": " + ec.message());
  auto impl = std::make_unique<Impl>();
  impl->handler = std::move(handler);
  const asio::ip::tcp::endpoint endpoint(address, static_cast<unsigned short>(parsed->port));
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

}  // namespace archivist::daemon
