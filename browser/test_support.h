// Helpers for the browser tests: a profile directory the browser user can reach, the browser
// shared by the tests of one binary, and /proc scans for processes that must be gone.
#ifndef ARCHIVIST_BROWSER_TEST_SUPPORT_H_
#define ARCHIVIST_BROWSER_TEST_SUPPORT_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/clock.h"
#include "browser/browser.h"
#include "tests/support/temp_dir.h"

namespace archivist::browser::testing {

// A test_support::TempDir that the browser user may enter (mode 0711), with the profile path
// inside it. Removed, with the profile, by the destructor.
class ProfileDir : public test_support::TempDir {
 public:
  ProfileDir();
  std::string profile() const { return Path("profile"); }
};

// Options for a test browser in `profile` ($ARCHIVIST_BROWSER, else "chromium").
BrowserOptions TestBrowserOptions(const std::string& profile);

// The browser shared by the tests of this binary (started on first use, closed at exit).
Browser& SharedBrowser();
const std::string& SharedProfile();
RealClock& TestClock();

// Live processes (not zombies) whose process group is `pgid`.
std::vector<pid_t> ProcessesInGroup(pid_t pgid);
// Live processes whose command line contains `needle`.
std::vector<pid_t> ProcessesWithArg(const std::string& needle);
// Live processes whose environment contains `needle` (e.g. "HOME=<profile>": every process
// the browser starts inherits it, daemonized ones too).
std::vector<pid_t> ProcessesWithEnv(const std::string& needle);
// Waits up to `seconds` until no process is in group `pgid` (if > 0) or has `needle` in its command
// line or environment; true when none is left.
bool WaitUntilGone(pid_t pgid, const std::string& needle, double seconds);
// The memory of a process group: summed resident set and proportional set sizes (PSS counts
// pages shared between the browser's processes once), in KiB.
struct GroupMemory {
  long rss_kib = 0;
  long pss_kib = 0;
  int processes = 0;
};
GroupMemory MemoryOfGroup(pid_t pgid);

// /proc/<pid>/cmdline with NULs as spaces.
std::string CommandLine(pid_t pid);
// A line of /proc/<pid>/status, e.g. StatusField(pid, "Uid") → "65534\t65534\t65534\t65534".
std::string StatusField(pid_t pid, const std::string& name);

}  // namespace archivist::browser::testing

#endif  // ARCHIVIST_BROWSER_TEST_SUPPORT_H_
