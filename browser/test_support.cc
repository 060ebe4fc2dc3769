#include "browser/test_support.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

namespace archivist::browser::testing {

ProfileDir::ProfileDir() : test_support::TempDir("archivist-browser") {
  chmod(path().c_str(), 0711);
}

BrowserOptions TestBrowserOptions(const std::string& profile) {
  BrowserOptions o;
  const char* exe = std::getenv("ARCHIVIST_BROWSER");
  o.launch.executable = exe != nullptr && *exe != '\0' ? exe : "chromium";
  o.launch.profile_dir = profile;
  o.max_tabs = 2;
  o.close_timeout = std::chrono::seconds(2);
  return o;
}

RealClock& TestClock() {
  static RealClock clock;
  return clock;
}

namespace {

struct Shared {
  std::unique_ptr<ProfileDir> dir = std::make_unique<ProfileDir>();
  std::string profile = dir->profile();
  std::unique_ptr<Browser> browser;
};

Shared& SharedState() {
  static Shared* shared = [] {
    auto* s = new Shared;
    s->browser = std::make_unique<Browser>(TestClock(), TestBrowserOptions(s->profile));
    std::atexit([] {
      Shared& st = SharedState();
      st.browser.reset();  // the browser first, then its profile directory
      st.dir.reset();
    });
    return s;
  }();
  return *shared;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <typename Pred>
std::vector<pid_t> Scan(Pred pred) {
  std::vector<pid_t> out;
  DIR* d = opendir("/proc");
  if (d == nullptr) return out;
  while (dirent* e = readdir(d)) {
    char* end = nullptr;
    const long pid = std::strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end != '\0') continue;
    const std::string stat = ReadFile("/proc/" + std::string(e->d_name) + "/stat");
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream rest(stat.substr(paren + 2));
    char state = 0;
    long ppid = 0, pgrp = 0;
    rest >> state >> ppid >> pgrp;
    if (state == 'Z' || state == 'X') continue;
    if (pred(static_cast<pid_t>(pid), static_cast<pid_t>(pgrp))) out.push_back(static_cast<pid_t>(pid));
  }
  closedir(d);
  return out;
}

}  // namespace

Browser& SharedBrowser() { return *SharedState().browser; }
const std::string& SharedProfile() { return SharedState().profile; }

std::vector<pid_t> ProcessesInGroup(pid_t pgid) {
  return Scan([&](pid_t, pid_t pgrp) { return pgrp == pgid; });
}

std::vector<pid_t> ProcessesWithArg(const std::string& needle) {
  return Scan([&](pid_t pid, pid_t) {
    std::string cmd = ReadFile("/proc/" + std::to_string(pid) + "/cmdline");
    return cmd.find(needle) != std::string::npos;
  });
}

std::vector<pid_t> ProcessesWithEnv(const std::string& needle) {
  return Scan([&](pid_t pid, pid_t) {
    std::string env = ReadFile("/proc/" + std::to_string(pid) + "/environ");
    return env.find(needle) != std::string::npos;
  });
}

bool WaitUntilGone(pid_t pgid, const std::string& needle, double seconds) {
  Clock& clock = TestClock();
  const auto until = clock.SteadyNow() + std::chrono::duration_cast<Clock::Duration>(
                                             std::chrono::duration<double>(seconds));
  while (true) {
    if ((pgid <= 0 || ProcessesInGroup(pgid).empty()) && ProcessesWithArg(needle).empty() &&
        ProcessesWithEnv(needle).empty()) {
      return true;
    }
    if (clock.SteadyNow() > until) return false;
    clock.SleepFor(std::chrono::milliseconds(50));
  }
}

GroupMemory MemoryOfGroup(pid_t pgid) {
  GroupMemory m;
  for (pid_t pid : ProcessesInGroup(pgid)) {
    std::istringstream in(ReadFile("/proc/" + std::to_string(pid) + "/smaps_rollup"));
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string key;
      long value = 0;
      if (!(fields >> key >> value)) continue;
      if (key == "Rss:") m.rss_kib += value;
      if (key == "Pss:") m.pss_kib += value;
    }
    ++m.processes;
  }
  return m;
}

std::string CommandLine(pid_t pid) {
  std::string cmd = ReadFile("/proc/" + std::to_string(pid) + "/cmdline");
  for (char& c : cmd) {
    if (c == '\0') c = ' ';
  }
  return cmd;
}

std::string StatusField(pid_t pid, const std::string& name) {
  std::istringstream in(ReadFile("/proc/" + std::to_string(pid) + "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(name + ":")) {
      std::string v = line.substr(name.size() + 1);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(0, 1);
      return v;
    }
  }
  return "";
}

}  // namespace archivist::browser::testing
