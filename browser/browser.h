// Browser: the one headless Chromium of an archivist process, shared by every worker, and
// Tab: one page of it, opened for one fetch and closed after.
//
// The browser is started on first use (or by Start) and started again when it has died: a
// crash costs the fetch that was running (its tab's commands fail, never hang) and nothing
// more. At most `max_tabs` tabs are open at once; OpenTab waits for a free one.
//
// What pages may load is decided here, for every page and worker of the browser at once (the
// Fetch domain on the browser's own session, so popups and workers are covered too): a request
// to a host that is not allowed (AllowHost; a source allows its base URL's host) fails with
// BlockedByClient before it leaves the browser, and so do images, media and fonts.
//
// Processes: see chromium_process.h; the browser is closed (Browser.close, so the profile's
// cookies reach the disk) and its process group killed by Shutdown and the destructor.
//
// Thread-safety: Browser is thread-safe. A Tab belongs to one thread and must be destroyed
// before its Browser.
#ifndef ARCHIVIST_BROWSER_BROWSER_H_
#define ARCHIVIST_BROWSER_BROWSER_H_

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "browser/chromium_process.h"

namespace archivist::browser {

class CdpConnection;
class Tab;

struct BrowserOptions {
  ChromiumLaunch launch;  // executable, profile_dir, user, sandbox, user_agent
  int max_tabs = 2;
  Clock::Duration start_timeout = std::chrono::seconds(30);    // launch until it answers
  Clock::Duration command_timeout = std::chrono::seconds(30);  // any browser-level command
  Clock::Duration close_timeout = std::chrono::seconds(5);     // Browser.close before the kill
  size_t max_message_bytes = 64u << 20;                        // one DevTools message
  std::vector<std::string> allowed_hosts;  // "host" or "host:port" pages may reach
  bool block_heavy_resources = true;       // images, media and fonts
  // Warnings (e.g. "the sandbox is off"); called once per start. May be empty.
  std::function<void(const std::string&)> warn;
};

class Browser {
 public:
  // Checks the options; the error names the option.
  static Status ValidateOptions(const BrowserOptions& options);

  // Starts nothing yet. `clock` is borrowed for the browser's lifetime.
  Browser(Clock& clock, BrowserOptions options);
  ~Browser();  // Shutdown()
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  // Starts the browser when it is not running (or has died). The error says why it cannot:
  // a missing executable names Debian's package, a browser that exits names its last words.
  Status Start();

  // A fresh tab (about:blank) with its own DevTools session; waits until `deadline` for a free
  // slot. Starts or restarts the browser as needed.
  Result<std::unique_ptr<Tab>> OpenTab(Clock::SteadyTime deadline);

  // Pages may reach `host` ("host" or "host:port", as in a URL; case-insensitive).
  void AllowHost(const std::string& host);

  // Closes the browser and kills its process group. The next OpenTab starts it again.
  void Shutdown();

  struct Stats {
    uint64_t starts = 0;            // successful launches
    uint64_t crashes = 0;           // times the browser was found dead
    uint64_t tabs_opened = 0;
    uint64_t requests_blocked = 0;  // by host or resource type
  };
  Stats stats() const;
  // The running browser's process id (the leader of its process group), or 0.
  pid_t pid() const;
  // The last blocked request URLs (at most 64), oldest first.
  std::vector<std::string> BlockedUrls() const;
  Clock& clock() { return clock_; }
  const BrowserOptions& options() const { return options_; }

 private:
  friend class Tab;
  Status StartLocked();
  void StopLocked(bool crashed);
  // A request of any page waits for this verdict (Fetch.requestPaused on the I/O thread).
  void OnRequestPaused(CdpConnection& conn, const std::string& request_id, const std::string& url,
                       const std::string& resource_type);
  bool Allowed(const std::string& url, const std::string& resource_type);
  void ReleaseTab();
  // Runs `job` on the launcher thread (the parent of every browser process).
  void RunOnLauncher(const std::function<void()>& job);
  void LauncherLoop();

  Clock& clock_;
  const BrowserOptions options_;

  mutable std::mutex mu_;  // the process and connection
  std::unique_ptr<ChromiumProcess> process_;
  std::shared_ptr<CdpConnection> conn_;

  std::mutex tabs_mu_;
  std::condition_variable tab_freed_;
  int tabs_in_use_ = 0;

  mutable std::mutex policy_mu_;
  std::set<std::string> allowed_hosts_;
  std::deque<std::string> blocked_urls_;
  Stats stats_;

  std::mutex launcher_mu_;
  std::condition_variable launcher_cv_;
  std::function<void()> launcher_job_;
  bool launcher_done_ = false;
  bool launcher_stop_ = false;
  std::thread launcher_;
};

class Tab {
 public:
  ~Tab();  // closes the target and frees the slot
  Tab(const Tab&) = delete;
  Tab& operator=(const Tab&) = delete;

  const std::string& session() const { return session_; }
  const std::string& target_id() const { return target_id_; }
  CdpConnection& connection() { return *conn_; }

 private:
  friend class Browser;
  Tab(Browser& browser, std::shared_ptr<CdpConnection> conn, std::string target_id, std::string session)
      : browser_(browser), conn_(std::move(conn)), target_id_(std::move(target_id)), session_(std::move(session)) {}

  Browser& browser_;
  std::shared_ptr<CdpConnection> conn_;
  std::string target_id_;
  std::string session_;
};

}  // namespace archivist::browser

#endif  // ARCHIVIST_BROWSER_BROWSER_H_
