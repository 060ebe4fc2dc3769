// ChromiumProcess: one headless Chromium started for the DevTools pipe, and always reaped.
//
// The browser gets one end of a socket pair as its file descriptors 3 and 4
// (`--remote-debugging-pipe`: it reads NUL-separated JSON from 3 and writes to 4); we keep the
// other end. Its stderr goes to a pipe of ours (the last lines explain a failed start).
//
// Reaping, on every exit path:
//  - the browser leads its own process group, and Kill() (also run by the destructor) sends
//    SIGKILL to the whole group, renderers and zygotes included, then reaps the leader;
//  - PR_SET_PDEATHSIG(SIGKILL) is set in the child after any change of user (a credential
//    change clears it), so a SIGKILL of archivist takes the browser down with it; the browser's
//    own children leave when their parent's pipe closes. PR_SET_PDEATHSIG follows the *thread*
//    that forked: Start must run on a thread that lives as long as the process (Browser keeps
//    one for this).
//
// Root: Chromium's sandbox refuses to run as root, and a browser should not have root's
// rights anyway. When archivist runs as root the browser runs as `user` (default `nobody`)
// with its supplementary groups cleared, and the profile directory is created for and owned by
// that user. `sandbox = false` passes --no-sandbox (for machines without user namespaces).
//
// Thread-safety: one owner; Kill and the destructor are not meant to race with each other.
#ifndef ARCHIVIST_BROWSER_CHROMIUM_PROCESS_H_
#define ARCHIVIST_BROWSER_CHROMIUM_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace archivist::browser {

struct ChromiumLaunch {
  std::string executable = "chromium";  // a path, or a name looked up on PATH
  std::string profile_dir;              // --user-data-dir; created when missing (required)
  std::string user = "nobody";          // used only when archivist runs as root
  bool sandbox = true;                  // false: --no-sandbox
  std::string user_agent;               // "" = the browser's own
  bool headless = true;                 // false: a visible window (`archivist login`)
  std::vector<std::string> extra_args;  // appended after ours
  std::vector<std::string> extra_env;   // "NAME=value" added to the browser's environment
};

class ChromiumProcess {
 public:
  // Starts the browser. Fails, naming the input, when the executable is missing (the message
  // names Debian's package `chromium`), the user is unknown or is root, the profile directory
  // cannot be made or is out of the user's reach, or exec fails.
  static Result<std::unique_ptr<ChromiumProcess>> Start(const ChromiumLaunch& launch, Clock& clock);

  // The arguments Start passes for `launch` (without the executable).
  static std::vector<std::string> Arguments(const ChromiumLaunch& launch);

  // Where `name` resolves: itself when it holds a '/', else the first match on $PATH.
  static Result<std::string> FindExecutable(const std::string& name);

  ~ChromiumProcess();
  ChromiumProcess(const ChromiumProcess&) = delete;
  ChromiumProcess& operator=(const ChromiumProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Our end of the DevTools socket, and the read end of the browser's stderr. The caller
  // takes ownership (each may be taken once; -1 afterwards).
  int TakeDevtoolsFd();
  int TakeLogFd();

  // SIGKILL to the whole process group, then reaps the leader. Once: later calls do nothing.
  void Kill();
  // True once the leader has exited (reaps it without blocking).
  bool Exited();
  // Waits up to `timeout` for the leader to exit by itself; true when it did.
  bool WaitExit(Clock::Duration timeout);

 private:
  ChromiumProcess(Clock& clock, pid_t pid, int devtools_fd, int log_fd)
      : clock_(clock), pid_(pid), devtools_fd_(devtools_fd), log_fd_(log_fd) {}

  Clock& clock_;
  pid_t pid_;
  int devtools_fd_;
  int log_fd_;
  bool reaped_ = false;
  bool group_killed_ = false;
};

// The profile directory made (when missing) and owned by `uid`/`gid` when `chown` is set,
// every level above it reachable by that user. The error names the directory that is not.
Status PrepareProfileDir(const std::string& dir, bool chown, uid_t uid, gid_t gid);

}  // namespace archivist::browser

#endif  // ARCHIVIST_BROWSER_CHROMIUM_PROCESS_H_
