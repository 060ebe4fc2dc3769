// CurlHttpClient: HttpClient on libcurl's multi interface. archivist's only libcurl user.
//
// PerformAll adds every request to one multi handle and drives them together, so a batch of
// N requests costs about as long as its slowest member. The multi handle lives as long as the
// client, so connections (and HTTP/2 sessions, where the server offers them over TLS) are
// reused across calls.
//
// Each transfer: connect and total timeouts, redirects followed up to a cap and only within
// the request URL's origin (scheme, host, port: url_origin.h; a redirect elsewhere, https to
// http included, is not followed and is reported in HttpResponse::redirect_refused),
// gzip/deflate/br decoded (Accept-Encoding offered for all that libcurl supports), a cap on
// the *decoded* body size (over it the transfer is aborted at once and reported kTooLarge,
// so memory stays bounded even against a compression bomb), User-Agent, extra headers, a
// Cookie header and a Netscape cookies.txt file (both sent only on requests to the origin of
// `cookie_url`), an optional proxy. Header values with control characters are refused.
//
// Thread-safety: one client per thread. Creating clients on several threads is safe
// (curl_global_init runs once).
#ifndef ARCHIVIST_FETCH_CURL_HTTP_CLIENT_H_
#define ARCHIVIST_FETCH_CURL_HTTP_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "base/cancel.h"
#include "base/status.h"
#include "fetch/http_client.h"

namespace archivist::fetch {

struct CurlOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{30'000};  // whole transfer
  int max_redirects = 5;
  size_t max_body = 32u << 20;  // decoded bytes
  std::string user_agent;     // "" = DefaultUserAgent()
  HeaderList headers;         // sent with every request
  std::string cookie;         // value of a Cookie header, e.g. "z_c0=...; d_c0=..."
  std::string cookies_file;   // Netscape cookies.txt; must exist and be readable
  // The URL whose origin the cookie and the cookies file belong to (the base URL); required
  // with either. Requests to any other origin carry no cookie.
  std::string cookie_url;
  std::string proxy;          // e.g. "http://127.0.0.1:3128", "socks5h://..."; "" = none
  int max_connections = 16;   // concurrent connections of one client across hosts
  // Borrowed; when it is cancelled, transfers in flight end within ~100 ms and later ones
  // at once, each as TransportError::kCancelled. Null: never cancelled.
  const CancelToken* cancel = nullptr;
};

// "archivist/<version> libcurl/<version>" (e.g. "archivist/0.1.0 libcurl/7.88.1"): what is
// sent when no User-Agent is configured. It names the program and its HTTP library truthfully
// and nothing else (archivist has no public web page to point to).
std::string DefaultUserAgent();

class CurlHttpClient final : public HttpClient {
 public:
  // Fails (kInvalidArgument) when the options are unusable: a cookies file that cannot be
  // read, a cookie without a usable cookie_url, a control character in a header (name or
  // value, User-Agent and cookie included), a non-positive timeout or cap. The error names
  // the option.
  static Result<std::unique_ptr<CurlHttpClient>> Create(CurlOptions options);
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  std::vector<HttpResponse> PerformAll(const std::vector<HttpRequest>& requests) override;

 private:
  struct Multi;
  explicit CurlHttpClient(CurlOptions options);
  CurlOptions options_;
  std::unique_ptr<Multi> multi_;
};

}  // namespace archivist::fetch

#endif  // ARCHIVIST_FETCH_CURL_HTTP_CLIENT_H_
