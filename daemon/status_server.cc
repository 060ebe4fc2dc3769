// The status listener: one asio thread, a list of open connections in accept order, and an
// accept loop that never spins.
//
// Descriptor budget. The daemon's refreshes (libcurl sockets, SQLite files) and the
// listener share one RLIMIT_NOFILE. An unbounded listener lets a local flood of idle
// connections take every descriptor: accept then fails with EMFILE, the old loop retried at
// once and spun a core, and the refreshes could not open sockets. Here the listener holds at
// most max_connections sockets plus the acceptor, whatever arrives; connections beyond that
// wait in the kernel's backlog (which costs no descriptor) and are taken one at a time.
//
// Why close the *oldest idle* connection to admit a new one, rather than refuse the new one:
// a health check connects and sends its request at once, while a flood's connections sit
// idle. Refusing new ones would let 64 idle sockets lock /healthz out until they time out;
// closing the oldest idle one gives every new client its chance, and a client that sends
// its request promptly is served before 64 more connections have arrived.
//
// Out of descriptors anyway (a low RLIMIT_NOFILE, or the rest of the process used them):
// close the oldest idle connection and accept again, which then succeeds with the freed
// descriptor; with no connection of ours to close, pause accepting for accept_pause (a
// timer, not a loop) and try again.
#include "daemon/status_server.h"

#include <spdlog/spdlog.h>

#include <asio.hpp>

#include <atomic>
#include <cerrno>
#include <list>
#include <thread>

#include "base/clock.h"
#include "config/listen_address.h"
#include "daemon/http_request.h"

namespace archivist::daemon {
namespace {

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

bool OutOfResources(const asio::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory ||
         (ec.category() == asio::system_category() && ec.value() == ENFILE);
}

class Connection;

// Everything of the server but its public handle; lives on the server's thread.
struct Listener {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor{io};
  asio::steady_timer pause{io};
  HttpHandler handler;
  StatusServerLimits limits;
  std::thread thread;
  int port = 0;
  std::list<std::shared_ptr<Connection>> open;  // oldest first; server thread only
  RealClock clock;
  std::optional<Clock::SteadyTime> last_warning;
  uint64_t errors_since_warning = 0;
  struct {
    std::atomic<uint64_t> accepted{0}, dropped{0}, timed_out{0}, too_large{0}, accept_errors{0};
    std::atomic<int> open{0};
  } counters;

  void Accept();
  void OnAcceptError(const asio::error_code& ec);
  bool DropOldest();
  void WarnOutOfResources(const asio::error_code& ec);
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::ip::tcp::socket socket, Listener& server)
      : socket_(std::move(socket)), timer_(socket_.get_executor()),
        buffer_(server.limits.max_request), server_(server) {}

  std::list<std::shared_ptr<Connection>>::iterator slot;

  void Start() {
    auto self = shared_from_this();
    timer_.expires_after(server_.limits.request_timeout);
    timer_.async_wait([self](const asio::error_code& ec) {
      if (ec || self->closed_) return;
      ++self->server_.counters.timed_out;
      self->Close();
    });
    asio::async_read_until(socket_, buffer_, "\r\n\r\n",
                           [self](const asio::error_code& ec, size_t) { self->OnHead(ec); });
  }

  bool reading() const { return reading_; }

  // Idempotent. Leaves the server's list last: that may drop the last reference but one.
  void Close() {
    if (closed_) return;
    closed_ = true;
    auto self = shared_from_this();
    asio::error_code ignored;
    timer_.cancel();
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    server_.open.erase(slot);
    --server_.counters.open;
  }

 private:
  void OnHead(const asio::error_code& ec) {
    if (closed_) return;
    reading_ = false;
    if (ec == asio::error::not_found) {  // the buffer is full and the head has not ended
      ++server_.counters.too_large;
      return Reply({431, "text/plain; charset=utf-8", "the request is too large\n"});
    }
    if (ec) return Close();
    const auto head = buffer_.data();
    const RequestLine request =
        ParseRequestHead(std::string(asio::buffers_begin(head), asio::buffers_end(head)));
    if (request.method != "GET") return Reply({405, "text/plain; charset=utf-8", "only GET is served\n"});
    Reply(server_.handler(request.path));
  }

  void Reply(const HttpReply& reply) {
    response_ = "HTTP/1.0 " + std::to_string(reply.status) + " " + Reason(reply.status) +
                "\r\nContent-Type: " + reply.content_type +
                "\r\nContent-Length: " + std::to_string(reply.body.size()) +
                "\r\nConnection: close\r\n\r\n" + reply.body;
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(response_),
                      [self](const asio::error_code&, size_t) { self->Close(); });
  }

  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  asio::streambuf buffer_;
  Listener& server_;
  std::string response_;
  bool reading_ = true;
  bool closed_ = false;
};

void Listener::Accept() {
  acceptor.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) return OnAcceptError(ec);
    ++counters.accepted;
    if (static_cast<int>(open.size()) >= limits.max_connections) DropOldest();
    auto c = std::make_shared<Connection>(std::move(socket), *this);
    c->slot = open.insert(open.end(), c);
    ++counters.open;
    c->Start();
    Accept();
  });
}

void Listener::OnAcceptError(const asio::error_code& ec) {
  ++counters.accept_errors;
  if (!OutOfResources(ec)) return Accept();  // e.g. ECONNABORTED: that connection only
  WarnOutOfResources(ec);
  // Closing one of ours frees the descriptor that the next accept needs: progress, not a
  // spin. With none of ours to close, the descriptors are the refreshes': wait.
  if (DropOldest()) return Accept();
  pause.expires_after(limits.accept_pause);
  pause.async_wait([this](const asio::error_code& e) {
    if (!e) Accept();
  });
}

bool Listener::DropOldest() {
  if (open.empty()) return false;
  auto victim = open.begin();
  for (auto it = open.begin(); it != open.end(); ++it) {
    if ((*it)->reading()) {
      victim = it;
      break;
    }
  }
  ++counters.dropped;
  (*victim)->Close();
  return true;
}

void Listener::WarnOutOfResources(const asio::error_code& ec) {
  ++errors_since_warning;
  const Clock::SteadyTime now = clock.SteadyNow();
  if (last_warning && now - *last_warning < std::chrono::minutes(1)) return;
  spdlog::warn("status listener: cannot accept a connection: {} ({} time(s) since the last "
               "warning, {} connection(s) open); closing idle ones, pausing when there are none",
               ec.message(), errors_since_warning, open.size());
  last_warning = now;
  errors_since_warning = 0;
}

}  // namespace

struct StatusServer::Impl : Listener {};

Result<std::unique_ptr<StatusServer>> StatusServer::Start(const std::string& listen,
                                                           HttpHandler handler,
                                                           StatusServerLimits limits) {
  Result<config::ListenAddress> parsed = config::ParseListenAddress(listen);
  if (!parsed.ok()) {
    return Status::InvalidArgument("status address " + parsed.status().message());
  }
  asio::error_code ec;
  const asio::ip::address address = asio::ip::make_address(parsed->host, ec);
  if (ec) return Status::InvalidArgument("status address \"" + listen + "\": " + ec.message());
  auto impl = std::make_unique<Impl>();
  impl->handler = std::move(handler);
  impl->limits = limits;
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

StatusServerStats StatusServer::stats() const {
  StatusServerStats s;
  s.accepted = impl_->counters.accepted;
  s.dropped = impl_->counters.dropped;
  s.timed_out = impl_->counters.timed_out;
  s.too_large = impl_->counters.too_large;
  s.accept_errors = impl_->counters.accept_errors;
  s.open = impl_->counters.open;
  return s;
}

void StatusServer::Stop() {
  if (!impl_->thread.joinable()) return;
  asio::post(impl_->io, [this] {
    asio::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->pause.cancel();
    while (!impl_->open.empty()) impl_->open.front()->Close();
    impl_->io.stop();
  });
  impl_->thread.join();
}

}  // namespace archivist::daemon
