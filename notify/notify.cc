// The hook runner: one thread, one bounded queue. Post appends (dropping the oldest job with
// a warning when the queue is full) and wakes the thread; the thread takes a job and the
// current hook list under the lock, then runs the hooks without it, so Post never waits for a
// hook. Back-off between url attempts waits on the condition variable, so a stop ends it.
#include "notify/notify.h"

#include <signal.h>

#include <nlohmann/json.hpp>

#include "base/bounded_text.h"
#include "fetch/http_post.h"
#include "notify/exec_hook.h"

namespace archivist::notify {

std::string PayloadJson(const Notification& n) {
  nlohmann::json events = nlohmann::json::array();
  for (const store::ChangeRecord& c : n.events) {
    const store::EventRecord& e = c.event;
    events.push_back(
        {{"time", e.at.ToIso8601()},
         {"kind", std::string(model::EventKindName(e.kind))},
         {"answer", e.answer ? nlohmann::json(std::to_string(*e.answer)) : nullptr},
         {"revision", e.revision > 0 ? nlohmann::json(e.revision) : nullptr},
         {"author", e.answer ? nlohmann::json(c.author) : nullptr},
         {"details", e.details}});
  }
  nlohmann::json j = {{"question", std::to_string(n.thread.id)},
                      {"title", n.title},
                      {"events", std::move(events)}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HookRunner::HookRunner(std::vector<config::NotifyConfig> hooks, LogFunction log,
                       RunnerOptions options)
    : log_(std::move(log)), options_(options), hooks_(std::move(hooks)) {
  thread_ = std::thread([this] { Serve(); });
}

HookRunner::~HookRunner() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (!queue_.empty()) {
      log_(true, "notify: " + std::to_string(queue_.size()) +
                     " notification(s) not delivered: archivist is stopping");
    }
    queue_.clear();
  }
  cv_.notify_all();
  thread_.join();
}

void HookRunner::SetHooks(std::vector<config::NotifyConfig> hooks) {
  std::lock_guard lock(mu_);
  hooks_ = std::move(hooks);
}

void HookRunner::Post(Notification n) {
  if (n.events.empty()) return;
  Job job{PayloadJson(n), store::ToString(n.thread)};
  {
    std::lock_guard lock(mu_);
    if (hooks_.empty() || stopping_) return;
    if (queue_.size() >= std::max<size_t>(1, options_.capacity)) {
      log_(true, "notify: the queue is full (" + std::to_string(queue_.size()) +
                     " notifications): dropped the oldest, for " + queue_.front().thread);
      queue_.pop_front();
    }
    queue_.push_back(std::move(job));
  }
  cv_.notify_all();
}

void HookRunner::Drain() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return (queue_.empty() && !busy_) || stopping_; });
}

bool HookRunner::Wait(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, d, [this] { return stopping_.load(); });
  return !stopping_;
}

void HookRunner::Serve() {
  // SIGPIPE from a hook that closed its stdin is handled where it is written (exec_hook.cc).
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  for (;;) {
    Job job;
    std::vector<config::NotifyConfig> hooks;
    {
      std::unique_lock lock(mu_);
      busy_ = false;
      cv_.notify_all();
      cv_.wait(lock, [this] { return !queue_.empty() || stopping_; });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      hooks = hooks_;
      busy_ = true;
    }
    Deliver(job, hooks);
  }
}

void HookRunner::Deliver(const Job& job, const std::vector<config::NotifyConfig>& hooks) {
  for (const config::NotifyConfig& hook : hooks) {
    if (stopping_) return;
    if (!hook.url.empty()) {
      RunUrl(job, hook);
      continue;
    }
    const ExecResult r = RunExec(hook.exec, job.payload, hook.timeout, stopping_);
    if (!r.ok()) {
      log_(true, "notify: exec hook \"" + BoundText(hook.exec, 200) + "\" for " + job.thread +
                     (r.timed_out ? ": timed out after " + config::FormatDuration(hook.timeout) +
                                        "; its process group was killed"
                                  : ": " + r.Describe()));
    }
  }
}

void HookRunner::RunUrl(const Job& job, const config::NotifyConfig& hook) {
  std::chrono::milliseconds backoff = options_.first_backoff;
  const int attempts = std::max(1, options_.url_attempts);
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    const fetch::PostResult r = fetch::PostBody(hook.url, "application/json", job.payload,
                                                hook.timeout, &stopping_);
    if (stopping_) return;
    const bool transport = r.error != fetch::TransportError::kNone;
    if (!transport && r.status >= 200 && r.status < 300) return;
    const std::string what = transport ? r.error_message : "HTTP status " + std::to_string(r.status);
    const bool retry = transport || r.status == 429 || r.status >= 500;
    const bool last = !retry || attempt == attempts;
    log_(true, "notify: url hook " + BoundText(hook.url, 200) + " for " + job.thread + ": " +
                   BoundText(what, 200) + " (attempt " + std::to_string(attempt) + " of " +
                   std::to_string(attempts) + (last ? "; giving up)" : "; retrying)"));
    if (last || !Wait(backoff)) return;
    backoff *= 2;
  }
}

}  // namespace archivist::notify
