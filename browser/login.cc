// RunLogin: a browser window for a person, watched over the DevTools pipe until it closes.
//
// The browser's first tab (about:blank) is navigated to the sign-in page, so the person sees
// one window with one tab. Every `poll`: Storage.getCookies (the browser's whole cookie jar)
// tells whether the session cookie is set for the host, and Target.getTargets whether any page
// is left. The window is taken for closed when no page is left or the browser has exited (a
// visible Chromium exits when its last window closes); the cookie state of the last poll
// while a page was open is the answer. Browser.close then lets Chromium write its cookies to the profile before its
// process group is killed and reaped.
#include "browser/login.h"

#include <memory>

#include "browser/cdp.h"
#include "browser/cookies.h"

namespace archivist::browser {
namespace {

bool DomainMatches(std::string domain, const std::string& host) {
  if (!domain.empty() && domain[0] == '.') domain.erase(0, 1);
  if (domain == host) return true;
  return host.size() > domain.size() && host.ends_with("." + domain);
}

class LoginSession {
 public:
  LoginSession(const LoginOptions& options, Clock& clock, std::unique_ptr<ChromiumProcess> process)
      : o_(options), clock_(clock), process_(std::move(process)),
        conn_(clock, process_->TakeDevtoolsFd(), process_->TakeLogFd(), CdpConnection::Options{}),
        host_(HostNameOf(options.url)) {}
  ~LoginSession() { Close(); }

  Status Open();
  Result<LoginResult> Watch();

 private:
  CdpReply Call(std::string_view method, Json params = Json::object(), std::string_view session = "") {
    return conn_.Call(method, std::move(params), session, o_.command_timeout);
  }
  // Fills `result` from the browser's cookie jar; false when the browser did not answer.
  bool PollCookie(LoginResult& result);
  // Pages left open; -1 when the browser did not answer.
  int PagesOpen();
  bool WaitLoaded(Clock::SteadyTime deadline);
  Status RunScript(LoginResult& seen);
  void Close();

  const LoginOptions& o_;
  Clock& clock_;
  std::unique_ptr<ChromiumProcess> process_;
  CdpConnection conn_;
  const std::string host_;
  std::string target_, session_;
};

Status LoginSession::Open() {
  CdpReply version = conn_.Call("Browser.getVersion", Json::object(), "", o_.start_timeout);
  if (!version.ok()) {
    std::string words = conn_.LogTail();
    if (words.size() > 1500) words = "…" + words.substr(words.size() - 1500);
    return Status::Unavailable("the browser did not start: " + version.message +
                               (words.empty() ? "" : "; it wrote: " + words));
  }
  CdpReply targets = Call("Target.getTargets");
  if (targets.ok()) {
    for (const Json& t : targets.result.value("targetInfos", Json::array())) {
      if (t.value("type", "") == "page") {
        target_ = t.value("targetId", "");
        break;
      }
    }
  }
  if (target_.empty()) {
    CdpReply created = Call("Target.createTarget", Json{{"url", "about:blank"}});
    if (!created.ok()) return Status::Unavailable("browser: Target.createTarget: " + created.message);
    target_ = created.result.value("targetId", "");
  }
  CdpReply attached = Call("Target.attachToTarget", Json{{"targetId", target_}, {"flatten", true}});
  if (!attached.ok()) return Status::Unavailable("browser: Target.attachToTarget: " + attached.message);
  session_ = attached.result.value("sessionId", "");
  CdpReply nav = Call("Page.navigate", Json{{"url", o_.url}}, session_);
  if (!nav.ok()) return Status::Unavailable("browser: opening " + o_.url + ": " + nav.message);
  if (nav.result.contains("errorText")) {
    return Status::Unavailable("browser: opening " + o_.url + ": " + nav.result.value("errorText", ""));
  }
  return Status::Ok();
}

bool LoginSession::PollCookie(LoginResult& result) {
  CdpReply r = Call("Storage.getCookies");
  if (!r.ok()) return false;
  result = LoginResult{};
  for (const Json& c : r.result.value("cookies", Json::array())) {
    if (c.value("name", "") == o_.cookie_name && !c.value("value", "").empty() &&
        DomainMatches(c.value("domain", ""), host_)) {
      result.logged_in = true;
      result.cookie_domain = c.value("domain", "");
      result.session_only = c.value("session", false);
    }
  }
  return true;
}

int LoginSession::PagesOpen() {
  CdpReply r = Call("Target.getTargets");
  if (!r.ok()) return -1;
  int pages = 0;
  for (const Json& t : r.result.value("targetInfos", Json::array())) {
    if (t.value("type", "") == "page") ++pages;
  }
  return pages;
}

bool LoginSession::WaitLoaded(Clock::SteadyTime deadline) {
  while (clock_.SteadyNow() < deadline) {
    CdpReply r = Call("Runtime.evaluate", Json{{"expression", "document.readyState"}, {"returnByValue", true}},
                      session_);
    if (r.ok() && r.result.contains("result") && r.result["result"].value("value", Json()) == "complete") {
      return true;
    }
    clock_.SleepFor(std::chrono::milliseconds(100));
  }
  return false;
}

// What a person would do, in a headless browser (tests); `seen` is the cookie state before the
// window closed.
Status LoginSession::RunScript(LoginResult& seen) {
  const Clock::SteadyTime deadline = clock_.SteadyNow() + o_.script_timeout;
  if (!WaitLoaded(deadline)) return Status::Unavailable("the sign-in page did not load");
  if (o_.script == LoginOptions::Script::kSubmit) {
    CdpReply r = Call("Runtime.evaluate", Json{{"expression", "document.forms[0].submit(); true"}}, session_);
    if (!r.ok()) return Status::Unavailable("submitting the sign-in form: " + r.message);
    while (clock_.SteadyNow() < deadline && !(PollCookie(seen) && seen.logged_in)) {
      clock_.SleepFor(o_.poll);
    }
  } else {
    PollCookie(seen);
  }
  (void)Call("Target.closeTarget", Json{{"targetId", target_}});
  return Status::Ok();
}

// The answer is the cookie state of the last poll while a page was open: when the window
// closes, a browser drops its session cookies (and a visible one exits).
Result<LoginResult> LoginSession::Watch() {
  LoginResult result;
  if (o_.script != LoginOptions::Script::kPerson) {
    ARCHIVIST_RETURN_IF_ERROR(RunScript(result));
    return result;
  }
  bool answered = false;
  while (conn_.alive()) {
    const int pages = PagesOpen();
    if (pages == 0) break;
    if (pages < 0) {
      if (!conn_.alive()) break;
      return Status::Unavailable("the browser stopped answering");
    }
    LoginResult now;
    if (PollCookie(now)) {
      result = now;
      answered = true;
    }
    clock_.SleepFor(o_.poll);
  }
  if (!answered) return Status::Unavailable("the window closed before the browser could be asked for its cookies");
  return result;
}

void LoginSession::Close() {
  if (conn_.alive()) {
    (void)conn_.Call("Browser.close", Json::object(), "", std::chrono::seconds(5));
    process_->WaitExit(std::chrono::seconds(5));  // its cookies reach the disk
  } else {
    process_->WaitExit(std::chrono::seconds(5));  // the person closed it: it is writing them
  }
  conn_.Close();
  process_->Kill();
}

}  // namespace

Result<LoginResult> RunLogin(const LoginOptions& options, Clock& clock) {
  if (!options.url.starts_with("http://") && !options.url.starts_with("https://")) {
    return Status::InvalidArgument("sign-in URL '" + options.url + "' is not http(s)");
  }
  Result<std::unique_ptr<ChromiumProcess>> process = ChromiumProcess::Start(options.launch, clock);
  if (!process.ok()) return process.status();
  LoginSession session(options, clock, std::move(process).value());
  ARCHIVIST_RETURN_IF_ERROR(session.Open());
  if (options.say) {
    options.say(options.script == LoginOptions::Script::kPerson
                    ? "a browser window is open on " + options.url +
                          ": log in there, then close the window"
                    : "a headless browser opened " + options.url);
  }
  return session.Watch();
}

}  // namespace archivist::browser
