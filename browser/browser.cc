// Browser: starting, restarting and stopping the one Chromium, and the request policy.
//
// Liveness: the browser is taken for dead when its pipe closed (CdpConnection saw EOF), when
// its leader process exited, or when a browser-level command timed out (a wedged browser is
// no better than a dead one). The next Start kills what is left of the old process group and
// launches a new one on the same profile, so cookies that reached the disk survive.
//
// The request policy runs on the connection's I/O thread for every request of every page:
// Fetch.requestPaused → Fetch.continueRequest or Fetch.failRequest(BlockedByClient), posted
// without waiting, so a page never stalls on us.
#include "browser/browser.h"

#include "browser/cdp.h"

namespace archivist::browser {
namespace {

constexpr size_t kBlockedKept = 64;

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// "http://Host:8080/x" → {"host", "8080"}; the default port made explicit. Empty host when
// the URL is not http(s).
std::pair<std::string, std::string> HostAndPort(std::string_view url) {
  std::string_view port = "80";
  if (url.starts_with("https://")) {
    port = "443";
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
  } else {
    return {};
  }
  url = url.substr(0, url.find_first_of("/?#"));
  if (const size_t at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  std::string_view host = url;
  const size_t bracket = url.rfind(']');
  const size_t colon = url.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = url.substr(0, colon);
    port = url.substr(colon + 1);
  }
  return {Lower(std::string(host)), std::string(port)};
}

}  // namespace

Status Browser::ValidateOptions(const BrowserOptions& o) {
  if (o.launch.profile_dir.empty()) return Status::InvalidArgument("browser profile directory is not set");
  if (o.max_tabs < 1 || o.max_tabs > 64) {
    return Status::InvalidArgument("browser max_tabs " + std::to_string(o.max_tabs) + " is not in 1..64");
  }
  if (o.max_message_bytes < (1u << 20)) {
    return Status::InvalidArgument("browser max_message_bytes must be at least 1 MiB");
  }
  if (o.start_timeout <= Clock::Duration::zero() || o.command_timeout <= Clock::Duration::zero()) {
    return Status::InvalidArgument("browser timeouts must be positive");
  }
  return Status::Ok();
}

Browser::Browser(Clock& clock, BrowserOptions options) : clock_(clock), options_(std::move(options)) {
  for (const auto& h : options_.allowed_hosts) allowed_hosts_.insert(Lower(h));
  launcher_ = std::thread([this] { LauncherLoop(); });
}

Browser::~Browser() {
  Shutdown();
  {
    std::lock_guard<std::mutex> lock(launcher_mu_);
    launcher_stop_ = true;
  }
  launcher_cv_.notify_all();
  launcher_.join();
}

void Browser::LauncherLoop() {
  std::unique_lock<std::mutex> lock(launcher_mu_);
  while (true) {
    launcher_cv_.wait(lock, [&] { return launcher_stop_ || launcher_job_; });
    if (launcher_stop_) return;
    auto job = std::move(launcher_job_);
    launcher_job_ = nullptr;
    lock.unlock();
    job();
    lock.lock();
    launcher_done_ = true;
    launcher_cv_.notify_all();
  }
}

void Browser::RunOnLauncher(const std::function<void()>& job) {
  std::unique_lock<std::mutex> lock(launcher_mu_);
  launcher_done_ = false;
  launcher_job_ = job;
  launcher_cv_.notify_all();
  launcher_cv_.wait(lock, [&] { return launcher_done_; });
}

Status Browser::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  return StartLocked();
}

Status Browser::StartLocked() {
  if (conn_ && conn_->alive() && process_ && !process_->Exited()) return Status::Ok();
  if (process_) StopLocked(/*crashed=*/true);
  Result<std::unique_ptr<ChromiumProcess>> started = Status::Internal("not run");
  RunOnLauncher([&] { started = ChromiumProcess::Start(options_.launch, clock_); });
  if (!started.ok()) return started.status();
  process_ = std::move(started).value();
  conn_ = std::make_shared<CdpConnection>(clock_, process_->TakeDevtoolsFd(), process_->TakeLogFd(),
                                          CdpConnection::Options{options_.max_message_bytes});
  CdpConnection* conn = conn_.get();
  conn_->Subscribe("", [this, conn](std::string_view method, const Json& params) {
    if (method != "Fetch.requestPaused") return;
    const Json& request = params.contains("request") ? params["request"] : params;
    OnRequestPaused(*conn, params.value("requestId", ""), request.value("url", ""),
                    params.value("resourceType", ""));
  });
  CdpReply version = conn_->Call("Browser.getVersion", Json::object(), "", options_.start_timeout);
  CdpReply fetch;
  if (version.ok()) {
    Json patterns = Json::array({Json{{"urlPattern", "*"}, {"requestStage", "Request"}}});
    fetch = conn_->Call("Fetch.enable", Json{{"patterns", patterns}}, "", options_.command_timeout);
  }
  if (!version.ok() || !fetch.ok()) {
    const std::string why = !version.ok() ? version.message : "Fetch.enable: " + fetch.message;
    std::string last_words = conn_->LogTail();
    if (last_words.size() > 1500) last_words = "…" + last_words.substr(last_words.size() - 1500);
    StopLocked(/*crashed=*/false);
    return Status::Unavailable("the browser did not start: " + why +
                               (last_words.empty() ? "" : "; it wrote: " + last_words));
  }
  {
    std::lock_guard<std::mutex> plock(policy_mu_);
    ++stats_.starts;
  }
  if (!options_.launch.sandbox && options_.warn) {
    options_.warn("the browser runs without its sandbox (browser_sandbox = false): a page that "
                  "exploits the browser is not contained");
  }
  return Status::Ok();
}

void Browser::StopLocked(bool crashed) {
  if (crashed) {
    std::lock_guard<std::mutex> plock(policy_mu_);
    ++stats_.crashes;
  }
  if (conn_) conn_->Close();
  if (process_) process_->Kill();
  conn_.reset();
  process_.reset();
}

void Browser::Shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!process_) return;
  if (conn_ && conn_->alive()) {
    // Browser.close lets Chromium write its cookies; the kill below takes what is left.
    (void)conn_->Call("Browser.close", Json::object(), "", options_.close_timeout);
    process_->WaitExit(options_.close_timeout);
  }
  StopLocked(/*crashed=*/false);
}

pid_t Browser::pid() const {
  std::lock_guard<std::mutex> lock(mu_);
  return process_ ? process_->pid() : 0;
}

Browser::Stats Browser::stats() const {
  std::lock_guard<std::mutex> lock(policy_mu_);
  return stats_;
}

std::vector<std::string> Browser::BlockedUrls() const {
  std::lock_guard<std::mutex> lock(policy_mu_);
  return {blocked_urls_.begin(), blocked_urls_.end()};
}

void Browser::AllowHost(const std::string& host) {
  std::lock_guard<std::mutex> lock(policy_mu_);
  allowed_hosts_.insert(Lower(host));
}

bool Browser::Allowed(const std::string& url, const std::string& resource_type) {
  if (options_.block_heavy_resources &&
      (resource_type == "Image" || resource_type == "Media" || resource_type == "Font")) {
    return false;
  }
  auto [host, port] = HostAndPort(url);
  if (host.empty()) return !url.starts_with("ws:") && !url.starts_with("wss:") && !url.starts_with("ftp:");
  std::lock_guard<std::mutex> lock(policy_mu_);
  return allowed_hosts_.contains(host) || allowed_hosts_.contains(host + ":" + port);
}

void Browser::OnRequestPaused(CdpConnection& conn, const std::string& request_id, const std::string& url,
                              const std::string& resource_type) {
  if (request_id.empty()) return;
  if (Allowed(url, resource_type)) {
    conn.Post("Fetch.continueRequest", Json{{"requestId", request_id}}, "");
    return;
  }
  conn.Post("Fetch.failRequest", Json{{"requestId", request_id}, {"errorReason", "BlockedByClient"}}, "");
  std::lock_guard<std::mutex> lock(policy_mu_);
  ++stats_.requests_blocked;
  blocked_urls_.push_back(url.substr(0, 512));
  if (blocked_urls_.size() > kBlockedKept) blocked_urls_.pop_front();
}

Result<std::unique_ptr<Tab>> Browser::OpenTab(Clock::SteadyTime deadline) {
  {
    std::unique_lock<std::mutex> lock(tabs_mu_);
    while (tabs_in_use_ >= options_.max_tabs) {
      const Clock::SteadyTime now = clock_.SteadyNow();
      if (now >= deadline) {
        return Status::Unavailable("all " + std::to_string(options_.max_tabs) + " browser tabs stayed busy");
      }
      tab_freed_.wait_for(lock, deadline - now);
    }
    ++tabs_in_use_;
  }
  std::shared_ptr<CdpConnection> conn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (Status st = StartLocked(); !st.ok()) {
      ReleaseTab();
      return st;
    }
    conn = conn_;
  }
  auto fail = [&](const std::string& what, const CdpReply& r) -> Status {
    if (r.error == CdpError::kTimeout) {  // a wedged browser: start afresh next time
      std::lock_guard<std::mutex> lock(mu_);
      if (conn_ == conn) StopLocked(/*crashed=*/true);
    }
    ReleaseTab();
    return Status::Unavailable("browser: " + what + ": " + r.message);
  };
  // A window of its own: a tab behind another one is hidden and gets no rendering, so its
  // page's IntersectionObserver would never see the end of the list.
  CdpReply created = conn->Call("Target.createTarget", Json{{"url", "about:blank"}, {"newWindow", true}}, "",
                                options_.command_timeout);
  if (!created.ok()) return fail("Target.createTarget", created);
  const std::string target = created.result.value("targetId", "");
  CdpReply attached = conn->Call("Target.attachToTarget", Json{{"targetId", target}, {"flatten", true}}, "",
                                 options_.command_timeout);
  if (!attached.ok()) {
    conn->Post("Target.closeTarget", Json{{"targetId", target}}, "");
    return fail("Target.attachToTarget", attached);
  }
  {
    std::lock_guard<std::mutex> lock(policy_mu_);
    ++stats_.tabs_opened;
  }
  return std::unique_ptr<Tab>(new Tab(*this, conn, target, attached.result.value("sessionId", "")));
}

void Browser::ReleaseTab() {
  {
    std::lock_guard<std::mutex> lock(tabs_mu_);
    --tabs_in_use_;
  }
  tab_freed_.notify_one();
}

Tab::~Tab() {
  conn_->Unsubscribe(session_);
  conn_->Post("Target.closeTarget", Json{{"targetId", target_id_}}, "");
  browser_.ReleaseTab();
}

}  // namespace archivist::browser
