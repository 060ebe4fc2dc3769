// fetch/http_post: one POST of a small body to a URL, for the notification hooks
// (notify/notify.h). Only the status comes back; the response body is read and dropped,
// at most 64 KiB of it (a larger one ends the transfer as kTooLarge).
//
// No redirects are followed (a 3xx is an answer), only http and https, the total time bounded
// by `timeout`. libcurl is used here as in curl_http_client.cc (one owner: fetch/).
//
// Thread-safety: reentrant; each call uses its own easy handle.
#ifndef ARCHIVIST_FETCH_HTTP_POST_H_
#define ARCHIVIST_FETCH_HTTP_POST_H_

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "fetch/http_client.h"

namespace archivist::fetch {

struct PostResult {
  TransportError error = TransportError::kNone;
  std::string error_message;  // "" when kNone
  int status = 0;             // HTTP status; 0 when no response arrived
};

// `cancel`, when given and turned true, ends the transfer early (kCancelled).
PostResult PostBody(const std::string& url, std::string_view content_type, std::string_view body,
                    std::chrono::milliseconds timeout,
                    const std::atomic<bool>* cancel = nullptr);

}  // namespace archivist::fetch

#endif  // ARCHIVIST_FETCH_HTTP_POST_H_
