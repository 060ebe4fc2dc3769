// HttpClient: the one door through which archivist talks HTTP (docs/design.md "Modules").
//
// A request is a GET of one URL with extra headers; a result is either a response (any HTTP
// status, including 4xx/5xx: those are answers, not transport failures) or a transport error
// (timeout, reset, body over the size cap, ...). Callers classify results into fetch outcomes;
// this layer only reports what happened on the wire.
//
// Implementations:
//   CurlHttpClient (curl_http_client.h)  libcurl's multi interface, many transfers at once.
//   FakeHttpClient (fake_http_client.h)  scripted responses; records every request and when.
//   RetryingHttpClient (retrying_http_client.h)  politeness + retries around any client.
//
// Thread-safety: an HttpClient instance is used by one thread at a time unless its own
// header says otherwise. The daemon gives each worker thread its own client.
#ifndef ARCHIVIST_FETCH_HTTP_CLIENT_H_
#define ARCHIVIST_FETCH_HTTP_CLIENT_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace archivist::fetch {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string url;
  HeaderList headers;  // extra request headers for this request only
};

// What went wrong below HTTP. kNone means `status` and `body` are a real response.
enum class TransportError {
  kNone,
  kTimeout,           // connect or total timeout
  kConnect,           // could not resolve or connect
  kReset,             // connection reset / closed before a complete response
  kTruncated,         // the body ended before its declared length
  kTooLarge,          // body over the cap; the transfer was aborted
  kTooManyRedirects,  // more redirects than allowed
  kBadEncoding,       // Content-Encoding could not be decoded
  kOther,
};

std::string_view TransportErrorName(TransportError e);

struct HttpResponse {
  TransportError error = TransportError::kNone;
  std::string error_message;  // the transport error in words ("" when kNone)
  int status = 0;             // HTTP status of the final response; 0 when none arrived
  std::string body;           // decoded body (gzip/deflate/br undone)
  HeaderList headers;         // headers of the final response; names lower-cased
  std::string effective_url;  // the URL after redirects
  int redirects = 0;

  bool transport_ok() const { return error == TransportError::kNone; }
  // The first header of that (lower-case) name, or "" when absent.
  std::string_view Header(std::string_view lower_name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Performs all requests, concurrently where the implementation can, and returns one
  // response per request in the same order. Never fails as a whole: each failure is in
  // its response.
  virtual std::vector<HttpResponse> PerformAll(const std::vector<HttpRequest>& requests) = 0;

  HttpResponse Perform(const HttpRequest& request) {
    return std::move(PerformAll({request}).front());
  }
};

// "https://www.zhihu.com:443/x?y" → "www.zhihu.com:443"; "" if `url` has no authority.
std::string HostOf(std::string_view url);

}  // namespace archivist::fetch

#endif  // ARCHIVIST_FETCH_HTTP_CLIENT_H_
