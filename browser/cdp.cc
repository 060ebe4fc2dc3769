// CdpConnection: one poll loop owns the socket.
//
// Writing: callers append their message to `out_` and wake the loop (an eventfd); the loop
// writes with MSG_DONTWAIT | MSG_NOSIGNAL (a dead browser is an error, not a SIGPIPE) and asks
// poll for POLLOUT only while bytes wait. Reading: bytes accumulate until a NUL. Once a
// message grows past the cap, its bytes are dropped as they come, keeping its first and last
// few hundred bytes: Chromium writes `{"id":N,` first in a reply and `"sessionId":"…"}` last in
// any message, which is enough to fail the right command or tell the right tab.
#include "browser/cdp.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fetch/sources/zhihu_json.h"

namespace archivist::browser {
namespace {

constexpr size_t kKeep = 512;          // head and tail kept of an oversized message
constexpr size_t kLogTail = 8192;      // stderr kept
constexpr size_t kReadChunk = 256 * 1024;

void KeepTail(std::string& s, std::string_view more, size_t keep) {
  s.append(more);
  if (s.size() > keep) s.erase(0, s.size() - keep);
}

// The command id at the start of a reply: `{"id":123,` → 123.
std::optional<uint64_t> HeadId(std::string_view head) {
  constexpr std::string_view kPrefix = "{\"id\":";
  if (!head.starts_with(kPrefix)) return std::nullopt;
  uint64_t id = 0;
  size_t i = kPrefix.size();
  if (i >= head.size() || head[i] < '0' || head[i] > '9') return std::nullopt;
  for (; i < head.size() && head[i] >= '0' && head[i] <= '9'; ++i) id = id * 10 + (head[i] - '0');
  return id;
}

// The session id near the end of a message: `"sessionId":"ABC"}` → ABC.
std::string TailSession(std::string_view tail) {
  constexpr std::string_view kKey = "\"sessionId\":\"";
  const size_t at = tail.rfind(kKey);
  if (at == std::string_view::npos) return "";
  const size_t start = at + kKey.size();
  const size_t end = tail.find('"', start);
  if (end == std::string_view::npos) return "";
  return std::string(tail.substr(start, end - start));
}

std::string Seconds(Clock::Duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", std::chrono::duration<double>(d).count());
  return buf;
}

}  // namespace

CdpConnection::CdpConnection(Clock& clock, int fd, int log_fd, Options options)
    : clock_(clock), options_(options), fd_(fd), log_fd_(log_fd),
      wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  io_ = std::thread([this] { Run(); });
}

CdpConnection::~CdpConnection() {
  Close();
  if (fd_ >= 0) close(fd_);
  if (log_fd_ >= 0) close(log_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

void CdpConnection::Close() {
  stop_ = true;
  Wake();
  if (io_.joinable() && io_.get_id() != std::this_thread::get_id()) io_.join();
  if (!closed_) Shutdown("the DevTools connection was closed");
}

std::string CdpConnection::closed_reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_reason_;
}

std::string CdpConnection::LogTail() const {
  std::lock_guard<std::mutex> lock(mu_);
  return log_tail_;
}

void CdpConnection::Wake() {
  const uint64_t one = 1;
  if (wake_fd_ >= 0) {
    ssize_t ignored = write(wake_fd_, &one, sizeof one);
    (void)ignored;
  }
}

bool CdpConnection::Enqueue(uint64_t id, std::string_view method, Json params, std::string_view session) {
  Json msg = {{"id", id}, {"method", method}, {"params", std::move(params)}};
  if (!session.empty()) msg["sessionId"] = session;
  std::string text = msg.dump(-1, ' ', false, Json::error_handler_t::replace);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return false;
    out_.append(text);
    out_.push_back('\0');
  }
  Wake();
  return true;
}

CdpReply CdpConnection::Call(std::string_view method, Json params, std::string_view session,
                             Clock::Duration timeout) {
  if (io_.get_id() == std::this_thread::get_id()) {
    std::fprintf(stderr, "archivist: bug: CdpConnection::Call(%.*s) on the I/O thread\n",
                 static_cast<int>(method.size()), method.data());
    std::abort();
  }
  const uint64_t id = next_id_++;
  auto pending = std::make_shared<Pending>();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return {CdpError::kClosed, closed_reason_, {}};
    pending_[id] = pending;
  }
  if (!Enqueue(id, method, std::move(params), session)) {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.erase(id);
    return {CdpError::kClosed, closed_reason_, {}};
  }
  const Clock::SteadyTime deadline = clock_.SteadyNow() + timeout;
  std::unique_lock<std::mutex> lock(mu_);
  while (!pending->done) {
    const Clock::SteadyTime now = clock_.SteadyNow();
    if (now >= deadline) {
      pending_.erase(id);
      return {CdpError::kTimeout, "no reply to " + std::string(method) + " in " + Seconds(timeout), {}};
    }
    replied_.wait_for(lock, deadline - now);
  }
  return std::move(pending->reply);
}

bool CdpConnection::Post(std::string_view method, Json params, std::string_view session) {
  return Enqueue(next_id_++, method, std::move(params), session);
}

void CdpConnection::Subscribe(const std::string& session, EventHandler handler) {
  auto h = std::make_shared<EventHandler>(std::move(handler));
  {
    std::lock_guard<std::mutex> lock(mu_);
    handlers_[session] = h;
    if (!closed_) return;
  }
  (*h)(kClosedEvent, Json::object());
}

void CdpConnection::Unsubscribe(const std::string& session) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    handlers_.erase(session);
  }
  // A handler may be running on the I/O thread right now: wait for it, so the caller may free
  // what the handler uses.
  if (io_.get_id() != std::this_thread::get_id()) std::lock_guard<std::mutex> running(dispatch_mu_);
}

void CdpConnection::Dispatch(const std::string& session, std::string_view method, const Json& params) {
  std::shared_ptr<EventHandler> h;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = handlers_.find(session);
    if (it == handlers_.end()) return;
    h = it->second;
  }
  std::lock_guard<std::mutex> running(dispatch_mu_);
  (*h)(method, params);
}

void CdpConnection::Shutdown(std::string reason) {
  std::vector<std::shared_ptr<EventHandler>> handlers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    closed_ = true;
    closed_reason_ = std::move(reason);
    for (auto& [id, p] : pending_) {
      p->done = true;
      p->reply = {CdpError::kClosed, closed_reason_, {}};
    }
    pending_.clear();
    for (auto& [session, h] : handlers_) handlers.push_back(h);
  }
  replied_.notify_all();
  std::lock_guard<std::mutex> running(dispatch_mu_);
  for (auto& h : handlers) (*h)(kClosedEvent, Json::object());
}

void CdpConnection::Run() {
  std::string sending;
  while (!stop_) {
    if (sending.empty()) {
      std::lock_guard<std::mutex> lock(mu_);
      sending.swap(out_);
    }
    pollfd fds[3] = {{fd_, static_cast<short>(POLLIN | (sending.empty() ? 0 : POLLOUT)), 0},
                     {wake_fd_, POLLIN, 0},
                     {log_fd_, POLLIN, 0}};
    const int n = poll(fds, log_fd_ >= 0 ? 3 : 2, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      Shutdown(std::string("poll: ") + std::strerror(errno));
      return;
    }
    if (fds[1].revents & POLLIN) {
      uint64_t v;
      ssize_t ignored = read(wake_fd_, &v, sizeof v);
      (void)ignored;
    }
    if (log_fd_ >= 0 && (fds[2].revents & (POLLIN | POLLHUP))) ReadLog();
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      if (!ReadSocket()) {
        ReadLog();
        Shutdown("the browser closed the DevTools pipe (it exited or crashed)");
        return;
      }
    }
    if (!sending.empty() && (fds[0].revents & POLLOUT)) {
      const ssize_t w = send(fd_, sending.data(), sending.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      if (w > 0) {
        sending.erase(0, static_cast<size_t>(w));
      } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
        Shutdown(std::string("writing to the browser: ") + std::strerror(errno));
        return;
      }
    }
  }
}

void CdpConnection::ReadLog() {
  char buf[4096];
  while (true) {
    const ssize_t n = read(log_fd_, buf, sizeof buf);
    if (n <= 0) {
      if (n == 0) {  // the browser's stderr is closed: stop polling it
        close(log_fd_);
        log_fd_ = -1;
      }
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    KeepTail(log_tail_, std::string_view(buf, static_cast<size_t>(n)), kLogTail);
  }
}

bool CdpConnection::ReadSocket() {
  if (read_buf_.empty()) read_buf_.resize(kReadChunk);
  const ssize_t n = recv(fd_, read_buf_.data(), read_buf_.size(), MSG_DONTWAIT);
  if (n == 0) return false;
  if (n < 0) return errno == EAGAIN || errno == EINTR;
  std::string_view data(read_buf_.data(), static_cast<size_t>(n));
  while (!data.empty()) {
    const size_t nul = data.find('\0');
    const std::string_view piece = data.substr(0, nul);
    if (skipping_) {
      skipped_bytes_ += piece.size();
      KeepTail(skip_tail_, piece, kKeep);
    } else {
      in_.append(piece);
      if (in_.size() > options_.max_message_bytes) {
        skipping_ = true;
        skipped_bytes_ = in_.size();
        skip_head_ = in_.substr(0, kKeep);
        skip_tail_ = in_.substr(in_.size() - kKeep);
        std::string().swap(in_);
      }
    }
    if (nul == std::string_view::npos) break;
    if (skipping_) {
      OnOversized();
      skipping_ = false;
    } else {
      OnMessage(in_);
      in_.clear();
    }
    data.remove_prefix(nul + 1);
  }
  return true;
}

void CdpConnection::OnOversized() {
  const std::string what = "a DevTools message of " + std::to_string(skipped_bytes_) +
                           " bytes is over the cap of " + std::to_string(options_.max_message_bytes);
  if (auto id = HeadId(skip_head_)) {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = pending_.find(*id); it != pending_.end()) {
      it->second->done = true;
      it->second->reply = {CdpError::kTooLarge, what, {}};
      pending_.erase(it);
      replied_.notify_all();
    }
    return;
  }
  Dispatch(TailSession(skip_tail_), kTooLargeEvent, Json{{"bytes", skipped_bytes_}});
}

void CdpConnection::OnMessage(std::string_view text) {
  ++messages_received_;
  Result<Json> parsed = fetch::zhihu::ParseJson(text);
  if (!parsed.ok() || !parsed->is_object()) return;  // not ours to crash on
  Json& msg = *parsed;
  auto id = msg.find("id");
  if (id != msg.end() && id->is_number_unsigned()) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pending_.find(id->get<uint64_t>());
    if (it == pending_.end()) return;  // timed out already, or a Post
    Pending& p = *it->second;
    p.done = true;
    if (auto err = msg.find("error"); err != msg.end()) {
      p.reply.error = CdpError::kRemote;
      p.reply.message = err->is_object() ? err->value("message", "error") : "error";
    } else if (auto res = msg.find("result"); res != msg.end()) {
      p.reply.result = std::move(*res);
    }
    pending_.erase(it);
    replied_.notify_all();
    return;
  }
  auto method = msg.find("method");
  if (method == msg.end() || !method->is_string()) return;
  std::string session;
  if (auto s = msg.find("sessionId"); s != msg.end() && s->is_string()) session = s->get<std::string>();
  static const Json kEmpty = Json::object();
  auto params = msg.find("params");
  Dispatch(session, method->get_ref<const std::string&>(), params != msg.end() ? *params : kEmpty);
}

}  // namespace archivist::browser
