// The mock's HTTP plumbing. Blocking sockets and a thread per connection keep it simple: a
// delayed reply holds only its own connection, and a test tool needs no more scale than a
// client with a handful of connections. Exceptions from asio end the connection only.
#include "tests/mock_zhihu/http_server.h"

#include <asio.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

namespace mock_zhihu {

using asio::ip::tcp;

std::string Request::Header(const std::string& lower_name) const {
  for (const auto& [n, v] : headers) {
    if (n == lower_name) return v;
  }
  return "";
}

std::string Request::Path() const { return target.substr(0, target.find('?')); }

std::string Request::Query(const std::string& name) const {
  const size_t q = target.find('?');
  if (q == std::string::npos) return "";
  std::string_view rest(target);
  rest.remove_prefix(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return "";
}

namespace {

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

bool ReadRequest(tcp::socket& sock, asio::streambuf& buf, Request& req) {
  asio::read_until(sock, buf, "\r\n\r\n");
  std::istream in(&buf);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const size_t a = line.find(' '), b = line.rfind(' ');
  if (a == std::string::npos || b <= a) return false;
  req.method = line.substr(0, a);
  req.target = line.substr(a + 1, b - a - 1);
  while (std::getline(in, line) && line != "\r" && !line.empty()) {
    if (line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    req.headers.emplace_back(Lower(line.substr(0, colon)), value);
  }
  const std::string len = req.Header("content-length");
  if (!len.empty()) {
    const size_t n = std::stoul(len);
    if (buf.size() < n) asio::read(sock, buf, asio::transfer_exactly(n - buf.size()));
    req.body.resize(n);
    in.read(req.body.data(), static_cast<std::streamsize>(n));
  }
  return true;
}

std::string Head(const Reply& r, uint64_t length, bool keep_alive) {
  std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + Reason(r.status) + "\r\n";
  for (const auto& [n, v] : r.headers) head += n + ": " + v + "\r\n";
  head += "Content-Length: " + std::to_string(length) + "\r\n";
  head += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  return head;
}

// Returns false when the connection must close.
bool Send(tcp::socket& sock, const Reply& r, bool keep_alive) {
  if (r.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(r.delay_ms));
  switch (r.misbehave) {
    case Reply::Misbehave::kReset:
      sock.set_option(asio::socket_base::linger(true, 0));
      sock.close();
      return false;
    case Reply::Misbehave::kCutBody:
      asio::write(sock, asio::buffer(Head(r, r.body.size(), false)));
      asio::write(sock, asio::buffer(r.body.data(), r.body.size() / 2));
      sock.shutdown(tcp::socket::shutdown_both);
      return false;
    case Reply::Misbehave::kHuge: {
      const std::string open = "{\"data\":[],\"pad\":\"", close = "\"}";
      const uint64_t total = std::max<uint64_t>(r.huge_bytes, open.size() + close.size());
      asio::write(sock, asio::buffer(Head(r, total, false)));
      asio::write(sock, asio::buffer(open));
      const std::string chunk(64 * 1024, 'x');
      for (uint64_t left = total - open.size() - close.size(); left > 0;) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(left, chunk.size()));
        asio::write(sock, asio::buffer(chunk.data(), n));
        left -= n;
      }
      asio::write(sock, asio::buffer(close));
      return false;
    }
    case Reply::Misbehave::kHold: {
      asio::write(sock, asio::buffer(Head(r, r.body.size() + (1 << 20), false)));
      asio::write(sock, asio::buffer(r.body));
      char sink[4096];
      asio::error_code ec;
      while (!ec) sock.read_some(asio::buffer(sink), ec);  // until the client goes away
      return false;
    }
    case Reply::Misbehave::kNone: break;
  }
  std::string out = Head(r, r.body.size(), keep_alive);
  out += r.body;
  asio::write(sock, asio::buffer(out));
  return keep_alive;
}

void ServeConnection(tcp::socket sock, const Handler& handler) {
  try {
    asio::streambuf buf;
    while (true) {
      Request req;
      if (!ReadRequest(sock, buf, req)) return;
      const bool keep_alive = Lower(req.Header("connection")) != "close";
      if (!Send(sock, handler(req), keep_alive)) return;
    }
  } catch (const std::exception&) {
    // The client went away or misbehaved: drop the connection.
  }
}

}  // namespace

std::string Serve(const std::string& bind, uint16_t port, Handler handler,
                  const std::function<void(uint16_t)>& on_listening) {
  asio::io_context io;
  asio::error_code ec;
  tcp::acceptor acceptor(io);
  const auto address = asio::ip::make_address(bind, ec);
  if (ec) return "bad --bind address '" + bind + "': " + ec.message();
  tcp::endpoint ep(address, port);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return "cannot listen on " + bind + ":" + std::to_string(port) + ": " + ec.message();
  on_listening(acceptor.local_endpoint().port());
  auto shared = std::make_shared<Handler>(std::move(handler));
  while (true) {
    tcp::socket sock(io);
    acceptor.accept(sock, ec);
    if (ec) continue;
    sock.set_option(tcp::no_delay(true), ec);
    std::thread([s = std::move(sock), shared]() mutable { ServeConnection(std::move(s), *shared); })
        .detach();
  }
}

}  // namespace mock_zhihu
