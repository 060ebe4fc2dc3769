// CurlHttpClient: one multi handle per client; one easy handle per transfer.
//
// The loop is the plain multi pattern: add all easy handles, then curl_multi_perform and
// curl_multi_poll until every transfer reported CURLMSG_DONE. Each transfer owns its easy
// handle and header list through unique_ptrs; the response is written in place.
//
// Size cap: CURLOPT_MAXFILESIZE_LARGE rejects a declared Content-Length over the cap before the
// body arrives; the write callback enforces the cap on decoded bytes as they come (libcurl
// 7.88 does not stop a running transfer for MAXFILESIZE), returning 0 so libcurl aborts.
// Headers: the header callback sees the headers of every response in a redirect chain; a new
// status line clears what was kept, so the final response's headers remain.
// Cancellation: with a CancelToken, the loop waits in curl_multi_poll for at most 100 ms and
// checks the token between waits; once it is cancelled every unfinished transfer is removed
// from the multi handle (which aborts it) and reported kCancelled.
//
// Redirects are followed here, not by libcurl (CURLOPT_FOLLOWLOCATION is off): libcurl would
// follow a Location to any host and send CURLOPT_COOKIE there too. When a transfer ends with
// a 3xx, CURLINFO_REDIRECT_URL (libcurl's own resolution of the Location) is checked against
// the origin of the request URL; within it, the same easy handle is pointed at the new URL
// and added to the multi handle again; outside it, the 3xx is the response and the URL is
// reported in redirect_refused. The cookie and the cookies file are set on a transfer only
// when the request URL lies within the origin of CurlOptions::cookie_url, so they reach no
// other host whatever the caller asks for.
#include "fetch/curl_http_client.h"

#include <curl/curl.h>

#include <cstdio>
#include <mutex>
#include <optional>

#include "base/file_access.h"
#include "base/header_text.h"
#include "fetch/url_origin.h"

#include "base/version.h"

namespace archivist::fetch {
namespace {

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  EasyPtr easy;
  SlistPtr headers;
  HttpResponse* out = nullptr;
  size_t cap = 0;
  bool over_cap = false;
  bool done = false;
  std::string url;                // the URL of the current hop
  std::optional<Origin> origin;   // of the request URL: redirects stay within it
  int redirects = 0;              // hops followed
  bool too_many_redirects = false;
  char errbuf[CURL_ERROR_SIZE] = {};
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * n;
  if (t->out->body.size() + bytes > t->cap) {
    t->over_cap = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->out->body.append(data, bytes);
  return bytes;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return std::string(s);
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    t->out->headers.clear();
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    t->out->headers.emplace_back(std::move(name), Trim(line.substr(colon + 1)));
  }
  return size * n;
}

TransportError MapCode(CURLcode rc, bool over_cap) {
  switch (rc) {
    case CURLE_OK: return TransportError::kNone;
    case CURLE_OPERATION_TIMEDOUT: return TransportError::kTimeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT: return TransportError::kConnect;
    case CURLE_PARTIAL_FILE: return TransportError::kTruncated;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return TransportError::kReset;
    case CURLE_FILESIZE_EXCEEDED: return TransportError::kTooLarge;
    case CURLE_WRITE_ERROR: return over_cap ? TransportError::kTooLarge : TransportError::kOther;
    case CURLE_TOO_MANY_REDIRECTS: return TransportError::kTooManyRedirects;
    case CURLE_BAD_CONTENT_ENCODING: return TransportError::kBadEncoding;
    default: return TransportError::kOther;
  }
}

}  // namespace

std::string DefaultUserAgent() {
  GlobalInitOnce();
  const curl_version_info_data* v = curl_version_info(CURLVERSION_NOW);
  std::string ua = "archivist/" + std::string(kVersion);
  if (v != nullptr && v->version != nullptr) ua += std::string(" libcurl/") + v->version;
  return ua;
}

struct CurlHttpClient::Multi {
  CURLM* handle = nullptr;
  ~Multi() {
    if (handle != nullptr) curl_multi_cleanup(handle);
  }
};

CurlHttpClient::CurlHttpClient(CurlOptions options)
    : options_(std::move(options)), multi_(std::make_unique<Multi>()) {
  GlobalInitOnce();
  if (options_.user_agent.empty()) options_.user_agent = DefaultUserAgent();
  multi_->handle = curl_multi_init();
  curl_multi_setopt(multi_->handle, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                    static_cast<long>(options_.max_connections));
}

CurlHttpClient::~CurlHttpClient() = default;

Result<std::unique_ptr<CurlHttpClient>> CurlHttpClient::Create(CurlOptions options) {
  if (options.timeout.count() <= 0 || options.connect_timeout.count() <= 0) {
    return Status::InvalidArgument("timeout must be positive");
  }
  if (options.max_body == 0) return Status::InvalidArgument("max_body must be positive");
  if (options.max_redirects < 0) return Status::InvalidArgument("max_redirects must be >= 0");
  if (options.max_connections <= 0) return Status::InvalidArgument("max_connections must be positive");
  // Whatever the caller checked: nothing reaches a header line that could end it.
  for (const auto& [what, value] : {std::pair<std::string_view, const std::string*>{"User-Agent", &options.user_agent},
                                    {"Cookie", &options.cookie}}) {
    if (std::string bad = CheckHeaderValue(*value); !bad.empty()) {
      return Status::InvalidArgument("the " + std::string(what) + " header contains " + bad);
    }
  }
  for (const auto& [name, value] : options.headers) {
    std::string bad = CheckHeaderName(name);
    if (bad.empty()) bad = CheckHeaderValue(value);
    if (!bad.empty()) return Status::InvalidArgument("header '" + name + "' has " + bad);
  }
  if (!options.cookies_file.empty()) {
    if (std::optional<std::string> why = CheckReadable(options.cookies_file)) {
      return Status::InvalidArgument("cookies file '" + options.cookies_file +
                                     "' cannot be read: " + *why);
    }
  }
  if ((!options.cookie.empty() || !options.cookies_file.empty()) && !OriginOf(options.cookie_url)) {
    return Status::InvalidArgument("the cookie's URL '" + options.cookie_url +
                                   "' is not an absolute http(s) URL (the cookie goes only to "
                                   "its origin)");
  }
  return std::unique_ptr<CurlHttpClient>(new CurlHttpClient(std::move(options)));
}

namespace {

void SetUp(Transfer& t, const HttpRequest& req, const CurlOptions& o) {
  CURL* h = t.easy.get();
  t.url = req.url;
  t.origin = OriginOf(req.url);
  curl_easy_setopt(h, CURLOPT_URL, t.url.c_str());
  curl_easy_setopt(h, CURLOPT_PRIVATE, &t);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t.errbuf);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // FollowRedirect decides
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout.count()));
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl can decode
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(o.max_body));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(h, CURLOPT_USERAGENT, o.user_agent.c_str());
  if (t.origin && t.origin == OriginOf(o.cookie_url)) {
    if (!o.cookie.empty()) curl_easy_setopt(h, CURLOPT_COOKIE, o.cookie.c_str());
    if (!o.cookies_file.empty()) curl_easy_setopt(h, CURLOPT_COOKIEFILE, o.cookies_file.c_str());
  }
  if (!o.proxy.empty()) curl_easy_setopt(h, CURLOPT_PROXY, o.proxy.c_str());
  curl_slist* list = nullptr;
  for (const HeaderList* hl : {&o.headers, &req.headers}) {
    for (const auto& [name, value] : *hl) {
      list = curl_slist_append(list, (name + ": " + value).c_str());
    }
  }
  t.headers.reset(list);
  if (list != nullptr) curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
}

// After a hop ended without error: true when it was a redirect within the request's origin
// and the transfer was pointed at its target (to be added to the multi handle again).
bool FollowRedirect(Transfer& t, CURLcode rc, int max_redirects) {
  if (rc != CURLE_OK) return false;
  CURL* h = t.easy.get();
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) return false;
  char* target = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &target) != CURLE_OK || target == nullptr) {
    return false;
  }
  if (!t.origin || OriginOf(target) != t.origin) {
    t.out->redirect_refused = target;
    return false;
  }
  if (t.redirects >= max_redirects) {
    t.too_many_redirects = true;
    return false;
  }
  ++t.redirects;
  t.url = target;
  t.out->body.clear();
  t.out->headers.clear();
  curl_easy_setopt(h, CURLOPT_URL, t.url.c_str());
  return true;
}

void Finish(Transfer& t, CURLcode rc) {
  CURL* h = t.easy.get();
  HttpResponse& r = *t.out;
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  r.status = static_cast<int>(status);
  r.effective_url = t.url;
  r.redirects = t.redirects;
  r.error = MapCode(rc, t.over_cap);
  if (t.too_many_redirects) {
    r.error = TransportError::kTooManyRedirects;
    std::snprintf(t.errbuf, sizeof(t.errbuf), "more than %d redirects", t.redirects);
  }
  if (r.error == TransportError::kTooLarge) {
    r.body.clear();
    r.body.shrink_to_fit();
  }
  if (r.error != TransportError::kNone) {
    r.error_message = t.errbuf[0] != '\0' ? std::string(t.errbuf) : curl_easy_strerror(rc);
    if (t.over_cap) r.error_message = "body exceeds the cap of " + std::to_string(t.cap) + " bytes";
  }
}

// Removes every transfer that has not finished from `m` (aborting it) and reports it cancelled.
void AbortUnfinished(CURLM* m, std::vector<std::unique_ptr<Transfer>>& transfers) {
  for (auto& t : transfers) {
    if (t->done) continue;
    curl_multi_remove_handle(m, t->easy.get());
    t->done = true;
    *t->out = HttpResponse{};
    t->out->error = TransportError::kCancelled;
    t->out->error_message = "shutting down";
  }
}

}  // namespace

std::vector<HttpResponse> CurlHttpClient::PerformAll(const std::vector<HttpRequest>& requests) {
  std::vector<HttpResponse> out(requests.size());
  std::vector<std::unique_ptr<Transfer>> transfers;
  CURLM* m = multi_->handle;
  for (size_t i = 0; i < requests.size(); ++i) {
    auto t = std::make_unique<Transfer>();
    t->easy.reset(curl_easy_init());
    t->out = &out[i];
    t->cap = options_.max_body;
    if (!t->easy) {
      out[i].error = TransportError::kOther;
      out[i].error_message = "curl_easy_init failed";
      continue;
    }
    SetUp(*t, requests[i], options_);
    curl_multi_add_handle(m, t->easy.get());
    transfers.push_back(std::move(t));
  }
  size_t done = 0;
  const CancelToken* cancel = options_.cancel;
  while (done < transfers.size() && !Cancelled(cancel)) {
    int running = 0;
    if (curl_multi_perform(m, &running) != CURLM_OK) break;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(m, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      CURL* easy = msg->easy_handle;
      const CURLcode rc = msg->data.result;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
      curl_multi_remove_handle(m, easy);
      if (FollowRedirect(*t, rc, options_.max_redirects)) {
        curl_multi_add_handle(m, easy);
        continue;
      }
      Finish(*t, rc);
      t->done = true;
      ++done;
    }
    if (done < transfers.size() && running > 0) {
      curl_multi_poll(m, nullptr, 0, cancel != nullptr ? 100 : 1000, nullptr);
    }
  }
  if (Cancelled(cancel)) AbortUnfinished(m, transfers);
  for (auto& t : transfers) {
    if (t->out->status == 0 && t->out->error == TransportError::kNone && done < transfers.size()) {
      t->out->error = TransportError::kOther;
      t->out->error_message = "curl multi interface failed";
      curl_multi_remove_handle(m, t->easy.get());
    }
  }
  return out;
}

}  // namespace archivist::fetch
