// Running an exec hook without trusting it.
//
// The child calls setpgid(0, 0) so that the hook and everything it starts share one process
// group, which a timeout kills at once (kill(-pgid, SIGKILL)): a hook that forks a sleeper
// cannot outlive its timeout. Between fork and exec the child uses async-signal-safe calls
// only (the parent is multi-threaded). The payload is written through a non-blocking pipe
// under the same deadline: a hook that never reads its stdin cannot hold us past the timeout,
// and one that exits without reading (EPIPE; SIGPIPE is blocked on the caller's thread and
// the pending one is consumed) is no failure of ours. The exit is polled every 10 ms.
#include "notify/exec_hook.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/clock.h"

namespace archivist::notify {
namespace {

[[noreturn]] void Child(const std::string& command, int stdin_fd) {
  setpgid(0, 0);
  dup2(stdin_fd, 0);
  dup2(2, 1);  // the hook's output goes to our stderr (the journal under the daemon)
  close_range(3, ~0U, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
  _exit(127);
}

// Writes what it can of `payload` before `deadline`; stops at EPIPE or when the hook exits.
void Feed(int fd, std::string_view payload, RealClock& clock, Clock::SteadyTime deadline,
          const std::atomic<bool>& stop) {
  size_t done = 0;
  while (done < payload.size() && !stop) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock.SteadyNow());
    if (left.count() <= 0) return;
    pollfd p{fd, POLLOUT, 0};
    const int r = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 50)));
    if (r < 0 && errno != EINTR) return;
    if (r <= 0) continue;
    if ((p.revents & (POLLERR | POLLHUP)) != 0) return;
    const ssize_t n = write(fd, payload.data() + done, payload.size() - done);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      if (errno == EPIPE) {
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        const timespec zero{0, 0};
        sigtimedwait(&pipe, nullptr, &zero);  // consume the pending SIGPIPE
      }
      return;
    }
    done += static_cast<size_t>(n);
  }
}

}  // namespace

std::string ExecResult::Describe() const {
  if (!started) return "could not be started: " + error;
  if (stopped) return "stopped (archivist is stopping); killed";
  if (timed_out) return "timed out; killed";
  if (signal != 0) return "ended by signal " + std::to_string(signal);
  return "exit status " + std::to_string(exit_status);
}

ExecResult RunExec(const std::string& command, std::string_view payload,
                   std::chrono::milliseconds timeout, const std::atomic<bool>& stop) {
  ExecResult result;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    result.error = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    result.error = std::string("fork: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return result;
  }
  if (pid == 0) Child(command, fds[0]);
  result.started = true;
  setpgid(pid, pid);  // also in the parent: the kill below must find the group at once
  close(fds[0]);
  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  RealClock clock;
  const Clock::SteadyTime deadline = clock.SteadyNow() + timeout;
  Feed(fds[1], payload, clock, deadline, stop);
  close(fds[1]);
  int status = 0;
  for (;;) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) break;
    if (stop || clock.SteadyNow() >= deadline) {
      (stop ? result.stopped : result.timed_out) = true;
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      return result;
    }
    clock.SleepFor(std::chrono::milliseconds(10));
  }
  if (WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace archivist::notify
