// CdpConnection: the DevTools protocol over the browser's pipe. Internal to browser/ (exposes
// nlohmann types).
//
// Messages are JSON objects separated by NUL bytes. A command carries an `id` and, for a page,
// the `sessionId` of a flat session (Target.attachToTarget with flatten:true); its reply
// carries the same id. Everything else is an event, routed by its `sessionId` ("" = the
// browser) to the handler subscribed for that session.
//
// One I/O thread per connection polls the socket (both ways: writes never block a caller or
// the reader, so neither side can wedge the other with a full buffer) and the browser's stderr
// (its last lines are kept for error messages). Event handlers run on that thread: they must
// be quick and must not Call (they may Post).
//
// Bounds: every Call has a timeout. A message over `max_message_bytes` is never held whole: it
// is skipped, and if its head shows a command id that command fails with kTooLarge; if its
// tail shows a session id, that session's handler gets kTooLargeEvent. The connection itself
// goes on. When the browser closes the pipe (it died), every pending Call fails with kClosed
// and every handler gets kClosedEvent: nothing waits forever.
//
// Thread-safety: Call, Post, Subscribe and Unsubscribe may be used from any thread.
#ifndef ARCHIVIST_BROWSER_CDP_H_
#define ARCHIVIST_BROWSER_CDP_H_

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/clock.h"

namespace archivist::browser {

using Json = nlohmann::json;

enum class CdpError {
  kNone,
  kTimeout,   // no reply in time (the command may still run in the browser)
  kClosed,    // the pipe is closed: the browser exited or the connection was shut down
  kTooLarge,  // the reply was over the message cap
  kRemote,    // the browser answered with an error object
};

struct CdpReply {
  CdpError error = CdpError::kNone;
  std::string message;  // the error in words
  Json result;          // the `result` object when ok
  bool ok() const { return error == CdpError::kNone; }
};

// Synthetic events delivered to session handlers (never sent by the browser).
inline constexpr std::string_view kClosedEvent = "Archivist.connectionClosed";
inline constexpr std::string_view kTooLargeEvent = "Archivist.messageTooLarge";  // params {bytes}

class CdpConnection {
 public:
  struct Options {
    size_t max_message_bytes = 64u << 20;
  };
  using EventHandler = std::function<void(std::string_view method, const Json& params)>;

  // Takes ownership of `fd` (our end of the DevTools socket) and `log_fd` (the read end of the
  // browser's stderr, or -1). Starts the I/O thread.
  CdpConnection(Clock& clock, int fd, int log_fd, Options options);
  ~CdpConnection();  // Close()
  CdpConnection(const CdpConnection&) = delete;
  CdpConnection& operator=(const CdpConnection&) = delete;

  // Sends a command and waits for its reply, at most `timeout`.
  CdpReply Call(std::string_view method, Json params, std::string_view session, Clock::Duration timeout);
  // Sends a command; its reply is dropped. False when the connection is closed.
  bool Post(std::string_view method, Json params, std::string_view session);

  // The handler of `session`'s events ("" = the browser's), replacing any earlier one.
  // Unsubscribe returns once the handler is no longer running (unless called by a handler).
  void Subscribe(const std::string& session, EventHandler handler);
  void Unsubscribe(const std::string& session);

  bool alive() const { return !closed_.load(); }
  // Why the connection closed ("" while alive).
  std::string closed_reason() const;
  // The last lines the browser wrote to stderr (at most ~8 KiB).
  std::string LogTail() const;
  // Stops the I/O thread and fails pending calls. Idempotent.
  void Close();

  // Bytes read and messages dispatched (for tests and metrics).
  uint64_t messages_received() const { return messages_received_.load(); }

 private:
  struct Pending {
    bool done = false;
    CdpReply reply;
  };

  void Run();
  bool ReadSocket();
  void ReadLog();
  bool WriteSome();
  void OnMessage(std::string_view text);
  void OnOversized();
  void Dispatch(const std::string& session, std::string_view method, const Json& params);
  void Shutdown(std::string reason);
  void Wake();
  bool Enqueue(uint64_t id, std::string_view method, Json params, std::string_view session);

  Clock& clock_;
  const Options options_;
  int fd_;
  int log_fd_;
  int wake_fd_;
  std::thread io_;

  mutable std::mutex mu_;
  std::mutex dispatch_mu_;  // held while a handler runs
  std::condition_variable replied_;
  std::map<uint64_t, std::shared_ptr<Pending>> pending_;
  std::map<std::string, std::shared_ptr<EventHandler>> handlers_;
  std::string out_;  // bytes waiting to be written
  std::string closed_reason_;
  std::string log_tail_;
  std::atomic<bool> closed_{false};
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> next_id_{1};
  std::atomic<uint64_t> messages_received_{0};

  // Reader state (I/O thread only).
  std::vector<char> read_buf_;
  std::string in_;
  bool skipping_ = false;   // inside a message over the cap
  size_t skipped_bytes_ = 0;
  std::string skip_head_;   // its first bytes
  std::string skip_tail_;   // its last bytes
};

}  // namespace archivist::browser

#endif  // ARCHIVIST_BROWSER_CDP_H_
