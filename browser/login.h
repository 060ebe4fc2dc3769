// Login: `archivist login` — a browser window on archivist's own profile, for a person to log
// in to the site once; the session cookies then stay in the profile for the browser backend.
//
// The browser is started as the backend starts it (same profile, same user when root, same
// sandbox) but visible, with no request policy (a login page may need other hosts), on
// `url` (the site's sign-in page). Login then waits until the person has closed the window
// (no page is left, or the browser exited), asking the browser every `poll` whether the
// session cookie (`cookie_name`, for the base URL's host) is set, closes the browser so that
// its cookies reach the disk, and says whether the cookie was there at the end.
//
// `script` automates the person for tests in a headless browser: kClose closes the window once
// the page has loaded; kSubmit submits the page's first form, waits for the cookie (at most
// `script_timeout`), then closes the window.
//
// Thread-safety: one call at a time per profile. Start and the browser's reaping follow
// chromium_process.h (the calling thread must live as long as the browser).
#ifndef ARCHIVIST_BROWSER_LOGIN_H_
#define ARCHIVIST_BROWSER_LOGIN_H_

#include <chrono>
#include <functional>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "browser/chromium_process.h"

namespace archivist::browser {

struct LoginOptions {
  ChromiumLaunch launch;             // headless = false for a person
  std::string url;                   // where the window opens: {base}/signin
  std::string cookie_name = "z_c0";  // the session cookie
  Clock::Duration start_timeout = std::chrono::seconds(30);
  Clock::Duration command_timeout = std::chrono::seconds(10);
  Clock::Duration poll = std::chrono::milliseconds(500);
  enum class Script { kPerson, kClose, kSubmit } script = Script::kPerson;
  Clock::Duration script_timeout = std::chrono::seconds(30);
  // Progress for the person ("the window is open: …"). May be empty.
  std::function<void(const std::string&)> say;
};

struct LoginResult {
  bool logged_in = false;     // the session cookie was set for the host when the window closed
  bool session_only = false;  // … but without an expiry: the browser forgets it on exit
  std::string cookie_domain;  // its domain, when set
};

// Fails when the browser cannot start (the message says why: a missing browser names Debian's
// package), the URL is not http(s), or the browser stops answering before the window closed.
Result<LoginResult> RunLogin(const LoginOptions& options, Clock& clock);

}  // namespace archivist::browser

#endif  // ARCHIVIST_BROWSER_LOGIN_H_
