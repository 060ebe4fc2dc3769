// notify: the operator's [[notify]] hooks (docs/notifications.md), told about
// the events each refresh recorded.
//
// After a refresh that recorded events, its caller (`archivist refresh`, the daemon) Posts a
// Notification; it becomes one JSON object (PayloadJson) handed to every hook in order:
//   exec  run by /bin/sh -c COMMAND in its own process group, the JSON on stdin, stdout and
//         stderr sent to our stderr; killed (the whole group) at its timeout.
//   url   the JSON POSTed (fetch/http_post.h) with its timeout; a transport error, 429 or 5xx
//         is retried with back-off (1 s, 2 s, 4 s: four attempts in all).
// A failing or slow hook is logged (exit status, signal, timeout, HTTP status) and nothing
// else: it never fails, blocks or delays a refresh, nor keeps the hooks after it from
// running. Post never blocks: notifications wait in a bounded queue (the oldest dropped, with
// a warning, when it is full) served by one background thread.
//
// Thread-safety: every method is thread-safe. The destructor stops the thread: the hook in
// flight is cut short (its process group killed, a POST ended), what is queued is dropped
// with a warning; call Drain first to deliver it.
#ifndef ARCHIVIST_NOTIFY_NOTIFY_H_
#define ARCHIVIST_NOTIFY_NOTIFY_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "store/store.h"

namespace archivist::notify {

// One refresh's events, as `changes` shows them.
struct Notification {
  store::ThreadKey thread;
  std::string title;
  std::vector<store::ChangeRecord> events;
};

// {"question": "<id>", "title": …, "events": [{"time", "kind", "answer", "revision",
// "author", "details"}, …]}: the fields and their types as `changes --json` has them.
std::string PayloadJson(const Notification& n);

// Where the runner's messages go: `warning` for a hook that failed, a dropped notification.
using LogFunction = std::function<void(bool warning, const std::string& message)>;

struct RunnerOptions {
  size_t capacity = 256;                                  // queued notifications
  int url_attempts = 4;                                   // ≥ 1
  std::chrono::milliseconds first_backoff = std::chrono::seconds(1);  // doubled per retry
};

class HookRunner {
 public:
  HookRunner(std::vector<config::NotifyConfig> hooks, LogFunction log, RunnerOptions options = {});
  ~HookRunner();
  HookRunner(const HookRunner&) = delete;
  HookRunner& operator=(const HookRunner&) = delete;

  // Replaces the hooks (a configuration reload); a notification in flight keeps the old ones.
  void SetHooks(std::vector<config::NotifyConfig> hooks);
  // Queues `n` for every hook; does nothing without hooks or events. Never blocks.
  void Post(Notification n);
  // Waits until every queued notification was handed to every hook. Bounded by the hooks'
  // own bounds: per notification, each exec hook's timeout and each url hook's attempts ×
  // timeout plus its back-off.
  void Drain();

 private:
  struct Job {
    std::string payload;
    std::string thread;  // "zhihu:123", for messages
  };
  void Serve();
  void Deliver(const Job& job, const std::vector<config::NotifyConfig>& hooks);
  void RunUrl(const Job& job, const config::NotifyConfig& hook);
  // Sleeps `d` unless stopping; false when stopping.
  bool Wait(std::chrono::milliseconds d);

  LogFunction log_;
  RunnerOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<config::NotifyConfig> hooks_;
  std::deque<Job> queue_;
  bool busy_ = false;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace archivist::notify

#endif  // ARCHIVIST_NOTIFY_NOTIFY_H_
