// How one HTTP response of Zhihu becomes either a JSON body to read or a fetch outcome.
// Internal to fetch/. The rules are written out in docs/fetch.md ("How the source decides the outcome").
#ifndef ARCHIVIST_FETCH_SOURCES_ZHIHU_CLASSIFY_H_
#define ARCHIVIST_FETCH_SOURCES_ZHIHU_CLASSIFY_H_

#include <optional>

#include "base/bounded_text.h"
#include "base/time.h"
#include "fetch/http_client.h"
#include "fetch/sources/zhihu_json.h"
#include "model/model.h"

namespace archivist::fetch::zhihu {

// Zhihu's error codes are short numbers; a longer "code" is cut to this many bytes. Messages
// are cut to kMaxEchoBytes (base/bounded_text.h).
inline constexpr size_t kMaxCodeBytes = 64;

// Every string in `error` is bounded.
struct Failure {
  model::Outcome outcome = model::Outcome::kTransient;
  model::FetchError error;  // page is left 0; the caller sets it
  std::optional<int64_t> retry_after_seconds;
};

struct Classified {
  std::optional<Failure> failure;  // set: the response is not a usable answer
  Json body;                       // the parsed body when !failure
};

// Zhihu's error codes that mean "you are blocked" (anti-crawler, abnormal request).
bool IsBlockedCode(std::string_view code);

// `now` converts an HTTP-date Retry-After into seconds.
Classified Classify(const HttpResponse& r, Timestamp now);

// A web page (HTML, not an API body): the transport, the captcha and sign-in URLs and the
// status are judged as in Classify; the body is not read. nullopt for a 2xx page.
std::optional<Failure> ClassifyDocument(const HttpResponse& r, Timestamp now);

}  // namespace archivist::fetch::zhihu

#endif  // ARCHIVIST_FETCH_SOURCES_ZHIHU_CLASSIFY_H_
