// notify/exec_hook: one run of an exec hook — /bin/sh -c COMMAND in a new process group, the
// payload on its stdin, killed with its group at the timeout or when `stop` turns true.
#ifndef ARCHIVIST_NOTIFY_EXEC_HOOK_H_
#define ARCHIVIST_NOTIFY_EXEC_HOOK_H_

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

namespace archivist::notify {

struct ExecResult {
  bool started = false;     // false: fork or pipe failed (error says why)
  bool timed_out = false;   // killed at the timeout
  bool stopped = false;     // killed because the runner stopped
  int exit_status = -1;     // when it exited
  int signal = 0;           // when a signal ended it (other than our kill)
  std::string error;
  bool ok() const { return started && !timed_out && !stopped && exit_status == 0; }
  std::string Describe() const;  // "exit status 3", "timed out after 2s; killed", …
};

// Must be called on a thread that blocks SIGPIPE (HookRunner's does).
ExecResult RunExec(const std::string& command, std::string_view payload,
                   std::chrono::milliseconds timeout, const std::atomic<bool>& stop);

}  // namespace archivist::notify

#endif  // ARCHIVIST_NOTIFY_EXEC_HOOK_H_
