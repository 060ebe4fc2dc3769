// Starting Chromium: everything that can fail is done before fork, because between fork and
// exec a multithreaded process may only make async-signal-safe calls. The child does only
// system calls: new process group, drop to the browser user (groups, gid, uid), set the
// parent-death signal (after the user change, which would clear it), make sure the parent is
// still there, put the descriptors in place (0,1 /dev/null, 2 the log pipe, 3 and 4 the
// DevTools socket), mark everything else close-on-exec, exec. A failing step writes
// {step, errno} to a close-on-exec pipe the parent reads: EOF means exec succeeded.
//
// The environment is built from scratch (PATH, HOME and the cache inside the profile, no
// configuration folder, the locale): archivist's own environment, which may hold secrets, is not the browser's business.
#include "browser/chromium_process.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace archivist::browser {
namespace {

namespace fs = std::filesystem;

struct ChildError {
  int step;
  int err;
};
constexpr const char* kSteps[] = {"setpgid", "setgroups", "setgid", "setuid", "prctl", "getppid",
                                  "dup2", "chdir", "exec"};

[[noreturn]] void ChildFail(int report_fd, int step) {
  ChildError e{step, errno};
  ssize_t ignored = write(report_fd, &e, sizeof e);
  (void)ignored;
  _exit(127);
}

struct Drop {
  bool enabled = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

// Runs in the child after fork: system calls only.
[[noreturn]] void ExecChild(const char* path, char* const argv[], char* const envp[], const char* dir,
                            const Drop& drop, pid_t parent, int sock, int log_w, int null_fd,
                            int report_fd) {
  if (setpgid(0, 0) != 0) ChildFail(report_fd, 0);
  if (drop.enabled) {
    if (setgroups(0, nullptr) != 0) ChildFail(report_fd, 1);
    if (setgid(drop.gid) != 0) ChildFail(report_fd, 2);
    if (setuid(drop.uid) != 0) ChildFail(report_fd, 3);
  }
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) ChildFail(report_fd, 4);
  if (getppid() != parent) ChildFail(report_fd, 5);
  // Move the fds out of the way of 0..4 first, then into place.
  const int s = fcntl(sock, F_DUPFD, 10);
  const int l = fcntl(log_w, F_DUPFD, 10);
  const int n = fcntl(null_fd, F_DUPFD, 10);
  if (s < 0 || l < 0 || n < 0) ChildFail(report_fd, 6);
  if (dup2(n, 0) < 0 || dup2(n, 1) < 0 || dup2(l, 2) < 0 || dup2(s, 3) < 0 || dup2(s, 4) < 0) {
    ChildFail(report_fd, 6);
  }
  for (int fd = 0; fd <= 4; ++fd) fcntl(fd, F_SETFD, 0);
  // Everything above 4 (the report pipe included) closes on exec.
  if (close_range(5, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    for (int fd = 5; fd < 65536; ++fd) fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  if (chdir(dir) != 0) ChildFail(report_fd, 7);
  // Ignored signals stay ignored across exec: give the browser the defaults and no mask.
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  execve(path, argv, envp);
  ChildFail(report_fd, 8);
}

std::string Errno(int err) { return std::strerror(err); }

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { if (fd_ >= 0) close(fd_); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { int f = fd_; fd_ = -1; return f; }
  void reset(int fd = -1) { if (fd_ >= 0) close(fd_); fd_ = fd; }

 private:
  int fd_;
};

Result<Drop> ResolveUser(const std::string& user) {
  Drop drop;
  if (geteuid() != 0) return drop;
  if (user.empty()) {
    return Status::InvalidArgument("archivist runs as root and no browser user is set: the browser "
                                   "must run as an unprivileged user (browser_user)");
  }
  struct passwd pw;
  struct passwd* found = nullptr;
  std::vector<char> buf(16384);
  if (getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
    return Status::InvalidArgument("browser user '" + user + "' does not exist");
  }
  if (pw.pw_uid == 0) {
    return Status::InvalidArgument("browser user '" + user + "' is root: the browser must run as an "
                                   "unprivileged user");
  }
  drop.enabled = true;
  drop.uid = pw.pw_uid;
  drop.gid = pw.pw_gid;
  return drop;
}

// Whether `uid`/`gid` (no supplementary groups) may search directory `st`.
bool CanSearch(const struct stat& st, uid_t uid, gid_t gid) {
  if (st.st_uid == uid) return st.st_mode & S_IXUSR;
  if (st.st_gid == gid) return st.st_mode & S_IXGRP;
  return st.st_mode & S_IXOTH;
}

char ModeDigit(mode_t m, int shift) { return static_cast<char>('0' + ((m >> shift) & 7)); }

std::vector<std::string> Environment(const std::string& profile, const std::vector<std::string>& extra) {
  std::vector<std::string> env = {
      "PATH=/usr/local/bin:/usr/bin:/bin",
      "HOME=" + profile,
      // Chromium starts its crash handler (which daemonizes out of the browser's process group)
      // only when it can make its database under the configuration folder: give it none. Its
      // profile lives in --user-data-dir. (--disable-crashpad-for-testing breaks navigation.)
      "XDG_CONFIG_HOME=/nonexistent",
      "XDG_CACHE_HOME=" + profile + "/.cache",
      "DBUS_SESSION_BUS_ADDRESS=disabled:",
  };
  for (const char* name : {"LANG", "LC_ALL", "TZ"}) {
    if (const char* v = std::getenv(name)) env.push_back(std::string(name) + "=" + v);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Status PrepareProfileDir(const std::string& dir, bool do_chown, uid_t uid, gid_t gid) {
  std::error_code ec;
  const fs::path path = fs::absolute(dir, ec);
  if (ec) return Status::IoError("browser profile directory '" + dir + "': " + ec.message());
  fs::create_directories(path, ec);
  if (ec) return Status::IoError("cannot create browser profile directory '" + dir + "': " + ec.message());
  if (chmod(path.c_str(), 0700) != 0) {
    return Status::IoError("browser profile directory '" + dir + "': chmod: " + Errno(errno));
  }
  if (!do_chown) return Status::Ok();
  // Everything inside belongs to the browser user (a profile left by an earlier user included).
  auto own = [&](const fs::path& p) -> Status {
    if (lchown(p.c_str(), uid, gid) != 0) {
      return Status::IoError("cannot give '" + p.string() + "' to the browser user: " + Errno(errno));
    }
    return Status::Ok();
  };
  ARCHIVIST_RETURN_IF_ERROR(own(path));
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    struct stat st;
    if (lstat(it->path().c_str(), &st) == 0 && (st.st_uid != uid || st.st_gid != gid)) {
      ARCHIVIST_RETURN_IF_ERROR(own(it->path()));
    }
  }
  if (ec) return Status::IoError("browser profile directory '" + dir + "': " + ec.message());
  for (fs::path p = path.parent_path(); !p.empty(); p = p.parent_path()) {
    struct stat st;
    if (stat(p.c_str(), &st) != 0) return Status::IoError("'" + p.string() + "': " + Errno(errno));
    if (!CanSearch(st, uid, gid)) {
      return Status::InvalidArgument(
          "browser profile directory '" + path.string() + "' is out of the browser user's reach: '" +
          p.string() + "' (mode 0" + ModeDigit(st.st_mode, 6) + ModeDigit(st.st_mode, 3) +
          ModeDigit(st.st_mode, 0) + ", owner uid " + std::to_string(st.st_uid) +
          ") cannot be entered by uid " + std::to_string(uid));
    }
    if (p == p.root_path()) break;
  }
  return Status::Ok();
}

Result<std::string> ChromiumProcess::FindExecutable(const std::string& name) {
  auto missing = [&](const std::string& where) {
    return Status::NotFound("browser '" + name + "' " + where +
                            ": install Debian's package 'chromium' (apt-get install chromium), "
                            "or set the browser path");
  };
  auto runnable = [](const std::string& p) {
    struct stat st;
    return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(p.c_str(), X_OK) == 0;
  };
  if (name.empty()) return missing("is not set");
  if (name.find('/') != std::string::npos) {
    if (runnable(name)) return name;
    return missing("does not exist or is not executable");
  }
  const char* env = std::getenv("PATH");
  std::string path = env != nullptr && *env != '\0' ? env : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    if (!dir.empty()) {
      std::string candidate = dir + "/" + name;
      if (runnable(candidate)) return candidate;
    }
    start = end + 1;
  }
  return missing("is not on PATH");
}

std::vector<std::string> ChromiumProcess::Arguments(const ChromiumLaunch& launch) {
  std::error_code ec;
  const std::string profile = fs::absolute(launch.profile_dir, ec).string();
  std::vector<std::string> args = {
      "--remote-debugging-pipe",
      "--user-data-dir=" + profile,
      "--mute-audio",
      // No first-run, background or reporting traffic (the flags Puppeteer passes).
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-background-networking",
      "--disable-background-timer-throttling",
      "--disable-backgrounding-occluded-windows",
      "--disable-renderer-backgrounding",
      "--disable-breakpad",
      "--disable-crash-reporter",
      "--disable-client-side-phishing-detection",
      "--disable-component-extensions-with-background-pages",
      "--disable-component-update",
      "--disable-default-apps",
      "--disable-dev-shm-usage",
      "--disable-domain-reliability",
      "--disable-extensions",
      "--disable-hang-monitor",
      "--disable-infobars",
      "--disable-ipc-flooding-protection",
      "--disable-prompt-on-repost",
      "--disable-search-engine-choice-screen",
      "--disable-sync",
      "--metrics-recording-only",
      "--no-pings",
      "--password-store=basic",
      "--use-mock-keychain",
      // Puppeteer's list; without the WebUI ones, headless keeps a renderer (~50 MiB) for a
      // toolbar nobody sees.
      "--disable-features=Translate,AcceptCHFrame,MediaRouter,OptimizationHints,WebUIReloadButton,"
      "WebUIOmniboxPopup,WebUIOmniboxAimPopup,ProcessPerSiteUpToMainFrameThreshold,IsolateSandboxedIframes",
      // A page may not open windows of its own.
      "--block-new-web-contents",
      "--window-size=1280,1000",
  };
  if (launch.headless) {
    args.push_back("--headless=new");
    args.push_back("--hide-scrollbars");
  }
  if (!launch.sandbox) args.push_back("--no-sandbox");
  if (!launch.user_agent.empty()) args.push_back("--user-agent=" + launch.user_agent);
  for (const auto& a : launch.extra_args) args.push_back(a);
  args.push_back("about:blank");
  return args;
}

Result<std::unique_ptr<ChromiumProcess>> ChromiumProcess::Start(const ChromiumLaunch& launch,
                                                                 Clock& clock) {
  if (launch.profile_dir.empty()) return Status::InvalidArgument("no browser profile directory is set");
  Result<std::string> exe = FindExecutable(launch.executable);
  if (!exe.ok()) return exe.status();
  Result<Drop> drop = ResolveUser(launch.user);
  if (!drop.ok()) return drop.status();
  ARCHIVIST_RETURN_IF_ERROR(PrepareProfileDir(launch.profile_dir, drop->enabled, drop->uid, drop->gid));
  const std::string profile = fs::absolute(launch.profile_dir).string();

  std::vector<std::string> argv_s = Arguments(launch);
  argv_s.insert(argv_s.begin(), *exe);
  std::vector<std::string> env_s = Environment(profile, launch.extra_env);
  std::vector<char*> argv = Pointers(argv_s);
  std::vector<char*> envp = Pointers(env_s);

  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return Status::IoError("socketpair: " + Errno(errno));
  }
  Fd ours(sv[0]), theirs(sv[1]);
  int lp[2], rp[2];
  if (pipe2(lp, O_CLOEXEC) != 0) return Status::IoError("pipe: " + Errno(errno));
  Fd log_r(lp[0]), log_w(lp[1]);
  if (pipe2(rp, O_CLOEXEC) != 0) return Status::IoError("pipe: " + Errno(errno));
  Fd report_r(rp[0]), report_w(rp[1]);
  Fd null_fd(open("/dev/null", O_RDWR | O_CLOEXEC));
  if (null_fd.get() < 0) return Status::IoError("/dev/null: " + Errno(errno));

  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return Status::IoError("fork: " + Errno(errno));
  if (pid == 0) {
    ExecChild(argv[0], argv.data(), envp.data(), profile.c_str(), *drop, parent, theirs.get(),
              log_w.get(), null_fd.get(), report_w.get());
  }
  setpgid(pid, pid);  // also done by the child; whichever runs first wins the race
  theirs.reset();
  log_w.reset();
  report_w.reset();
  ChildError err{};
  ssize_t n;
  do {
    n = read(report_r.get(), &err, sizeof err);
  } while (n < 0 && errno == EINTR);
  std::unique_ptr<ChromiumProcess> proc(new ChromiumProcess(clock, pid, ours.release(), log_r.release()));
  if (n == static_cast<ssize_t>(sizeof err)) {
    proc->Kill();
    const int step = err.step >= 0 && err.step < 9 ? err.step : 8;
    return Status::Unavailable("starting browser '" + *exe + "' failed at " + kSteps[step] + ": " +
                               Errno(err.err));
  }
  fcntl(proc->log_fd_, F_SETFL, O_NONBLOCK);
  return proc;
}

ChromiumProcess::~ChromiumProcess() {
  Kill();
  if (devtools_fd_ >= 0) close(devtools_fd_);
  if (log_fd_ >= 0) close(log_fd_);
}

int ChromiumProcess::TakeDevtoolsFd() {
  int fd = devtools_fd_;
  devtools_fd_ = -1;
  return fd;
}

int ChromiumProcess::TakeLogFd() {
  int fd = log_fd_;
  log_fd_ = -1;
  return fd;
}

void ChromiumProcess::Kill() {
  // Once only: after the group is gone its number may be given to another process. The group
  // outlives a leader that exited by itself while renderers and zygotes are still exiting, so
  // it is signalled even then.
  if (group_killed_) return;
  kill(-pid_, SIGKILL);
  group_killed_ = true;
  if (reaped_) return;
  while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
}

bool ChromiumProcess::Exited() {
  if (reaped_) return true;
  const pid_t r = waitpid(pid_, nullptr, WNOHANG);
  if (r == pid_ || (r < 0 && errno == ECHILD)) reaped_ = true;
  return reaped_;
}

bool ChromiumProcess::WaitExit(Clock::Duration timeout) {
  const Clock::SteadyTime deadline = clock_.SteadyNow() + timeout;
  while (!Exited()) {
    if (clock_.SteadyNow() >= deadline) return false;
    clock_.SleepFor(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace archivist::browser
