// PostBody: a blocking libcurl easy transfer. The write callback counts and drops the
// response body, aborting past the cap, so a hostile endpoint cannot make us hold data.
#include "fetch/http_post.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "fetch/curl_http_client.h"

namespace archivist::fetch {
namespace {

constexpr size_t kMaxResponse = 64 << 10;

struct Sink {
  size_t bytes = 0;
  bool too_large = false;
};

size_t Drop(char* /*data*/, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  sink->bytes += size * n;
  if (sink->bytes > kMaxResponse) {
    sink->too_large = true;
    return 0;  // aborts the transfer
  }
  return size * n;
}

int Progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel != nullptr && cancel->load() ? 1 : 0;  // non-zero aborts the transfer
}

}  // namespace

PostResult PostBody(const std::string& url, std::string_view content_type, std::string_view body,
                    std::chrono::milliseconds timeout, const std::atomic<bool>* cancel) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  PostResult result;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), curl_easy_cleanup);
  if (!h) {
    result.error = TransportError::kOther;
    result.error_message = "curl_easy_init failed";
    return result;
  }
  const std::string header = "Content-Type: " + std::string(content_type);
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(
      curl_slist_append(nullptr, header.c_str()), curl_slist_free_all);
  const std::string agent = DefaultUserAgent();
  Sink sink;
  CURL* c = h.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_USERAGENT, agent.c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Drop);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  if (cancel != nullptr) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, Progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, cancel);
  }
  const CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  result.status = static_cast<int>(status);
  if (rc == CURLE_OK) return result;
  result.error_message = curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT: result.error = TransportError::kTimeout; break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT: result.error = TransportError::kConnect; break;
    case CURLE_ABORTED_BY_CALLBACK: result.error = TransportError::kCancelled; break;
    case CURLE_WRITE_ERROR:
      result.error = sink.too_large ? TransportError::kTooLarge : TransportError::kOther;
      break;
    default: result.error = TransportError::kOther; break;
  }
  return result;
}

}  // namespace archivist::fetch
