// PageCapture: network events → exchanges.
//
// Chromium keeps one requestId across a request's redirects: each hop arrives as another
// Network.requestWillBeSent carrying the previous hop's `redirectResponse`. An exchange keeps
// the URL first asked for (the listing walk recognises a page by it), the final URL, and the
// last redirect's Location (the classifier looks there for the captcha and sign-in pages). The
// main document is the Document request of the tab's main frame, whose frame id is the target
// id.
#include "browser/page_capture.h"

#include "browser/base64.h"

namespace archivist::browser {
namespace {

constexpr size_t kHeaderValueCap = 1024;

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

fetch::HeaderList KeptHeaders(const Json& headers) {
  fetch::HeaderList out;
  if (!headers.is_object()) return out;
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    const std::string name = Lower(it.key());
    if (name != "retry-after" && name != "location" && name != "content-type") continue;
    if (!it->is_string()) continue;
    out.emplace_back(name, it->get<std::string>().substr(0, kHeaderValueCap));
  }
  return out;
}

std::string PathOf(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  url.remove_prefix(scheme + 3);
  const size_t slash = url.find('/');
  return slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
}

const Json& Member(const Json& v, const char* key) {
  static const Json kNull;
  if (!v.is_object()) return kNull;
  auto it = v.find(key);
  return it == v.end() ? kNull : *it;
}

std::string Str(const Json& v, const char* key) {
  const Json& m = Member(v, key);
  return m.is_string() ? m.get<std::string>() : "";
}

}  // namespace

fetch::TransportError TransportErrorOf(std::string_view e) {
  using fetch::TransportError;
  auto is = [&](std::initializer_list<std::string_view> names) {
    for (auto n : names) {
      if (e.starts_with(n)) return true;
    }
    return false;
  };
  if (is({"net::ERR_TIMED_OUT", "net::ERR_CONNECTION_TIMED_OUT"})) return TransportError::kTimeout;
  if (is({"net::ERR_CONNECTION_REFUSED", "net::ERR_NAME_NOT_RESOLVED", "net::ERR_ADDRESS_UNREACHABLE",
          "net::ERR_CONNECTION_FAILED", "net::ERR_INTERNET_DISCONNECTED", "net::ERR_NAME_RESOLUTION_FAILED"})) {
    return TransportError::kConnect;
  }
  if (is({"net::ERR_CONNECTION_RESET", "net::ERR_CONNECTION_CLOSED", "net::ERR_EMPTY_RESPONSE",
          "net::ERR_CONNECTION_ABORTED"})) {
    return TransportError::kReset;
  }
  if (is({"net::ERR_CONTENT_LENGTH_MISMATCH", "net::ERR_INCOMPLETE_CHUNKED_ENCODING"})) {
    return TransportError::kTruncated;
  }
  if (is({"net::ERR_CONTENT_DECODING_FAILED"})) return TransportError::kBadEncoding;
  if (is({"net::ERR_TOO_MANY_REDIRECTS"})) return TransportError::kTooManyRedirects;
  return TransportError::kOther;
}

fetch::HttpResponse ToHttpResponse(const Exchange& ex, std::string body) {
  fetch::HttpResponse r;
  r.status = ex.status;
  r.headers = ex.headers;
  r.effective_url = ex.final_url.empty() ? ex.url : ex.final_url;
  r.body = std::move(body);
  if (ex.state == Exchange::State::kFailed) {
    r.error = TransportErrorOf(ex.error_text);
    r.error_message = ex.canceled ? "the page cancelled the request (" + ex.error_text + ")" : ex.error_text;
  } else if (ex.state != Exchange::State::kFinished) {
    r.error = fetch::TransportError::kTimeout;
    r.error_message = "no complete response to " + ex.url + " in time";
  }
  return r;
}

PageCapture::PageCapture(Tab& tab, Clock& clock, Limits limits, std::string watch_prefix)
    : tab_(tab), clock_(clock), limits_(limits), watch_prefix_(std::move(watch_prefix)) {
  tab_.connection().Subscribe(tab_.session(), [this](std::string_view method, const Json& params) {
    OnEvent(method, params);
  });
}

PageCapture::~PageCapture() { tab_.connection().Unsubscribe(tab_.session()); }

Result<Json> PageCapture::Call(std::string_view method, Json params) {
  CdpReply r = tab_.connection().Call(method, std::move(params), tab_.session(), limits_.command_timeout);
  if (r.ok()) return std::move(r.result);
  if (r.error == CdpError::kTooLarge) {
    std::lock_guard<std::mutex> lock(mu_);
    too_large_ = true;
  }
  return Status::Unavailable(std::string(method) + ": " + r.message);
}

Status PageCapture::Enable() {
  const size_t body = limits_.max_body_bytes;
  Result<Json> net = Call("Network.enable", Json{{"maxResourceBufferSize", body},
                                                 {"maxTotalBufferSize", body * 4},
                                                 {"maxPostDataSize", 1024}});
  if (!net.ok()) return net.status();
  // Every page and listing comes from the site, never from the cache: an archive must not
  // record yesterday's page as today's.
  Result<Json> cache = Call("Network.setCacheDisabled", Json{{"cacheDisabled", true}});
  if (!cache.ok()) return cache.status();
  Result<Json> page = Call("Page.enable", Json::object());
  return page.ok() ? Status::Ok() : page.status();
}

bool PageCapture::Watched(const std::string& url) const {
  return !watch_prefix_.empty() && PathOf(url).starts_with(watch_prefix_);
}

Exchange* PageCapture::FindLocked(const std::string& id) {
  if (document_ && document_->request_id == id) return &*document_;
  for (auto it = watched_.rbegin(); it != watched_.rend(); ++it) {
    if (it->request_id == id) return &*it;
  }
  return nullptr;
}

void PageCapture::OnRequest(const Json& p) {
  const std::string id = Str(p, "requestId");
  const std::string url = Str(Member(p, "request"), "url");
  const Json& redirect = Member(p, "redirectResponse");
  if (Exchange* ex = FindLocked(id); ex != nullptr && redirect.is_object()) {
    ex->headers = KeptHeaders(Member(redirect, "headers"));
    ex->status = Member(redirect, "status").is_number() ? Member(redirect, "status").get<int>() : 0;
    ex->final_url = url;
    return;
  }
  Exchange ex;
  ex.request_id = id;
  ex.url = url;
  ex.final_url = url;
  ex.sent_at = clock_.SteadyNow();
  if (Str(p, "type") == "Document" && Str(p, "frameId") == tab_.target_id()) {
    document_ = std::move(ex);
  } else if (Watched(url) && watched_.size() < limits_.max_watched) {
    watched_.push_back(std::move(ex));
  }
}

void PageCapture::OnResponse(const Json& p) {
  Exchange* ex = FindLocked(Str(p, "requestId"));
  if (ex == nullptr) return;
  const Json& r = Member(p, "response");
  ex->state = Exchange::State::kResponded;
  ex->status = Member(r, "status").is_number() ? Member(r, "status").get<int>() : 0;
  fetch::HeaderList kept = KeptHeaders(Member(r, "headers"));
  for (auto& h : ex->headers) {  // a redirect's Location stays beside the final headers
    if (h.first == "location") kept.push_back(h);
  }
  ex->headers = std::move(kept);
  if (std::string url = Str(r, "url"); !url.empty()) ex->final_url = url;
}

void PageCapture::OnDone(const Json& p, bool failed) {
  Exchange* ex = FindLocked(Str(p, "requestId"));
  if (ex == nullptr) return;
  if (failed) {
    ex->state = Exchange::State::kFailed;
    ex->error_text = Str(p, "errorText");
    ex->canceled = Member(p, "canceled").is_boolean() && Member(p, "canceled").get<bool>();
  } else {
    ex->state = Exchange::State::kFinished;
    const Json& n = Member(p, "encodedDataLength");
    ex->encoded_length = n.is_number() ? n.get<int64_t>() : 0;
  }
}

void PageCapture::OnEvent(std::string_view method, const Json& p) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (method == "Network.requestWillBeSent") {
      OnRequest(p);
    } else if (method == "Network.responseReceived") {
      OnResponse(p);
    } else if (method == "Network.loadingFinished") {
      OnDone(p, false);
    } else if (method == "Network.loadingFailed") {
      OnDone(p, true);
    } else if (method == "Page.loadEventFired") {
      ++loads_;
    } else if (method == "Page.frameNavigated") {
      const Json& frame = Member(p, "frame");
      if (Str(frame, "id") == tab_.target_id()) current_url_ = Str(frame, "url");
    } else if (method == "Page.navigatedWithinDocument") {
      if (Str(p, "frameId") == tab_.target_id()) current_url_ = Str(p, "url");
    } else if (method == "Inspector.targetCrashed") {
      broken_ = "the page crashed";
    } else if (method == "Inspector.detached") {
      broken_ = "the tab was detached (" + Str(p, "reason") + ")";
    } else if (method == kClosedEvent) {
      broken_ = "the browser exited or crashed";
    } else if (method == kTooLargeEvent) {
      too_large_ = true;
      const Json& bytes = Member(p, "bytes");
      broken_ = "the page made the browser send a message of " +
                (bytes.is_number() ? std::to_string(bytes.get<uint64_t>()) : std::string("?")) +
                " bytes, over the cap";
    } else {
      return;
    }
  }
  changed_.notify_all();
}

PageCapture::Load PageCapture::Navigate(const std::string& url, Clock::SteadyTime deadline) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    loads_ = 0;
    document_.reset();
  }
  const Clock::Duration left = deadline - clock_.SteadyNow();
  CdpReply r = tab_.connection().Call("Page.navigate", Json{{"url", url}}, tab_.session(),
                                      std::max(Clock::Duration::zero(), std::min(left, limits_.command_timeout)));
  if (!r.ok()) {
    if (r.error == CdpError::kTimeout) return Load::kTimeout;
    std::lock_guard<std::mutex> lock(mu_);
    if (broken_.empty()) broken_ = "Page.navigate: " + r.message;
    return Load::kBroken;
  }
  if (std::string error = Str(r.result, "errorText"); !error.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!document_) {
      document_.emplace();
      document_->url = document_->final_url = url;
    }
    if (document_->state != Exchange::State::kFailed) {
      document_->state = Exchange::State::kFailed;
      document_->error_text = error;
    }
    return Load::kNetError;
  }
  bool failed = false;
  const bool ready = WaitUntil([&] {
    failed = document_ && document_->state == Exchange::State::kFailed;
    return loads_ > 0 || failed;
  }, deadline);
  if (!broken().empty()) return Load::kBroken;
  if (!ready) return Load::kTimeout;
  return failed ? Load::kNetError : Load::kLoaded;
}

bool PageCapture::WaitUntil(const std::function<bool()>& ready, Clock::SteadyTime deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (ready()) return true;
    if (!broken_.empty()) return false;
    if (Cancelled(limits_.cancel)) {
      broken_ = "the fetch was cancelled (archivist is stopping)";
      return false;
    }
    const Clock::SteadyTime now = clock_.SteadyNow();
    if (now >= deadline) return false;
    changed_.wait_for(lock, std::min<Clock::Duration>(deadline - now, std::chrono::milliseconds(250)));
  }
}

bool PageCapture::WaitForWatched(size_t count, Clock::SteadyTime deadline) {
  return WaitUntil([&] { return watched_.size() > count; }, deadline);
}

bool PageCapture::WaitForExchange(size_t i, Clock::SteadyTime deadline) {
  return WaitUntil([&] { return i < watched_.size() && watched_[i].done(); }, deadline);
}

std::optional<Exchange> PageCapture::Document() const {
  std::lock_guard<std::mutex> lock(mu_);
  return document_;
}

std::string PageCapture::CurrentUrl() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_url_;
}

std::string PageCapture::broken() const {
  std::lock_guard<std::mutex> lock(mu_);
  return broken_;
}

bool PageCapture::too_large() const {
  std::lock_guard<std::mutex> lock(mu_);
  return too_large_;
}

size_t PageCapture::watched_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return watched_.size();
}

Exchange PageCapture::watched(size_t i) const {
  std::lock_guard<std::mutex> lock(mu_);
  return watched_.at(i);
}

fetch::HttpResponse PageCapture::Fetched(const Exchange& ex) {
  fetch::HttpResponse r = ToHttpResponse(ex, "");
  if (!r.transport_ok()) return r;
  const std::string cap = std::to_string(limits_.max_body_bytes);
  if (ex.encoded_length > static_cast<int64_t>(limits_.max_body_bytes)) {
    r.error = fetch::TransportError::kTooLarge;
    r.error_message = "body of " + std::to_string(ex.encoded_length) + " bytes is over the cap of " + cap;
    return r;
  }
  CdpReply body = tab_.connection().Call("Network.getResponseBody", Json{{"requestId", ex.request_id}},
                                         tab_.session(), limits_.command_timeout);
  if (!body.ok()) {
    r.error = body.error == CdpError::kTooLarge ? fetch::TransportError::kTooLarge : fetch::TransportError::kOther;
    r.error_message = "the body of " + ex.url + " is not available: " + body.message;
    return r;
  }
  const Json& text = Member(body.result, "body");
  if (!text.is_string()) {
    r.error = fetch::TransportError::kOther;
    r.error_message = "Network.getResponseBody returned no body";
    return r;
  }
  if (Member(body.result, "base64Encoded").is_boolean() && body.result["base64Encoded"].get<bool>()) {
    std::optional<std::string> decoded = DecodeBase64(text.get_ref<const std::string&>());
    if (!decoded) {
      r.error = fetch::TransportError::kOther;
      r.error_message = "Network.getResponseBody returned bad base64";
      return r;
    }
    r.body = std::move(*decoded);
  } else {
    r.body = text.get<std::string>();
  }
  if (r.body.size() > limits_.max_body_bytes) {
    r.error = fetch::TransportError::kTooLarge;
    r.error_message = "body of " + std::to_string(r.body.size()) + " bytes is over the cap of " + cap;
    r.body.clear();
  }
  return r;
}

Result<Json> PageCapture::Evaluate(const std::string& expression) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (isolated_context_ == 0) {
      Result<Json> world = Call("Page.createIsolatedWorld",
                                Json{{"frameId", tab_.target_id()}, {"worldName", "archivist"}});
      if (!world.ok()) return world.status();
      isolated_context_ = world->value("executionContextId", 0);
    }
    Result<Json> r = Call("Runtime.evaluate", Json{{"expression", expression},
                                                   {"contextId", isolated_context_},
                                                   {"returnByValue", true}});
    if (r.ok() && !r->contains("exceptionDetails")) return r;
    isolated_context_ = 0;  // the document changed under it: make a new world once
    if (attempt == 1) return r.ok() ? Status::Unavailable("scrolling script failed") : r.status();
  }
  return Status::Internal("unreachable");
}

Status PageCapture::Scroll() {
  constexpr char kUp[] =
      "(() => { const e = document.scrollingElement || document.documentElement;"
      " window.scrollTo(0, Math.max(0, e.scrollHeight - 2 * window.innerHeight)); return e.scrollHeight; })()";
  constexpr char kDown[] =
      "(() => { const e = document.scrollingElement || document.documentElement;"
      " window.scrollTo(0, e.scrollHeight); return e.scrollHeight; })()";
  Result<Json> up = Evaluate(kUp);
  if (!up.ok()) return up.status();
  clock_.SleepFor(std::chrono::milliseconds(150));
  Result<Json> down = Evaluate(kDown);
  return down.ok() ? Status::Ok() : down.status();
}

}  // namespace archivist::browser
