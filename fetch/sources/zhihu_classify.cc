// Classify: the order of the questions asked of a response matters, so here it is.
//
//  1. Did a response arrive at all? Transport failures: too large → too_large; timeouts,
//     resets, refused connections, bodies cut short → transient; undecodable encodings and
//     redirect loops → invalid_response.
//  2. Did we land on the captcha page (/account/unhuman, in the final URL or a Location
//     header)? → blocked. On a sign-in page (/signin, /account/login)? → auth_required.
//  3. Does the body carry a Zhihu error object with a blocking code (10003, 40362, 40352)?
//     → blocked, whatever the status says (Zhihu sends these with 403 and sometimes 200).
//  4. The status: 401 → auth_required, 403 → blocked, 404/410 → not_found, 429 → rate_limited,
//     5xx → transient (429 and 503 carry Retry-After into the outcome); any other non-2xx →
//     invalid_response.
//  5. A 2xx whose body is not JSON, or is a Zhihu error object (4041 → not_found) →
//     invalid_response / not_found.
// The message prefers Zhihu's own error message; the code is Zhihu's error code as text.
#include "fetch/sources/zhihu_classify.h"

#include "fetch/retrying_http_client.h"

namespace archivist::fetch::zhihu {
namespace {

using model::Outcome;

Failure Fail(Outcome o, const HttpResponse& r, std::string message, std::string code = "") {
  Failure f;
  f.outcome = o;
  f.error.http_status = r.status;
  f.error.code = std::move(code);
  f.error.message = std::move(message);
  return f;
}

std::optional<Failure> TransportFailure(const HttpResponse& r) {
  const std::string what = std::string(TransportErrorName(r.error)) + ": " + r.error_message;
  switch (r.error) {
    case TransportError::kNone: return std::nullopt;
    case TransportError::kTooLarge: return Fail(Outcome::kTooLarge, r, what);
    case TransportError::kBadEncoding:
    case TransportError::kTooManyRedirects: return Fail(Outcome::kInvalidResponse, r, what);
    default: return Fail(Outcome::kTransient, r, what);
  }
}

bool PathIs(std::string_view url, std::string_view prefix) {
  const size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
    const size_t slash = url.find('/');
    url = slash == std::string_view::npos ? "" : url.substr(slash);
  }
  return url.starts_with(prefix);
}

// Step 2: the captcha page or a sign-in page, in the final URL or a Location header.
std::optional<Failure> UrlFailure(const HttpResponse& r) {
  for (std::string_view url : {std::string_view(r.effective_url), r.Header("location")}) {
    if (PathIs(url, "/account/unhuman")) {
      return Fail(Outcome::kBlocked, r, "captcha redirect to " + std::string(url));
    }
    if (PathIs(url, "/signin") || PathIs(url, "/account/login")) {
      return Fail(Outcome::kAuthRequired, r, "login redirect to " + std::string(url));
    }
  }
  return std::nullopt;
}

// Step 4: the status. `message` is Zhihu's own message when it sent one, else "".
std::optional<Failure> StatusFailure(const HttpResponse& r, Timestamp now, const std::string& message,
                                     const std::string& code) {
  const int s = r.status;
  std::optional<Outcome> o;
  if (s == 401) o = Outcome::kAuthRequired;
  else if (s == 403) o = Outcome::kBlocked;
  else if (s == 404 || s == 410) o = Outcome::kNotFound;
  else if (s == 429) o = Outcome::kRateLimited;
  else if (s >= 500) o = Outcome::kTransient;
  else if (s < 200 || s >= 300) o = Outcome::kInvalidResponse;
  if (!o) return std::nullopt;
  Failure f = Fail(*o, r, message.empty() ? "HTTP " + std::to_string(s) : message, code);
  if (s == 429 || s == 503) {
    if (auto ra = ParseRetryAfter(r.Header("retry-after"), now)) f.retry_after_seconds = ra->count();
  }
  return f;
}

}  // namespace

bool IsBlockedCode(std::string_view code) {
  return code == "10003" || code == "40362" || code == "40352";
}

std::optional<Failure> ClassifyDocument(const HttpResponse& r, Timestamp now) {
  if (auto f = TransportFailure(r)) return f;
  if (auto f = UrlFailure(r)) return f;
  return StatusFailure(r, now, "", "");
}

Classified Classify(const HttpResponse& r, Timestamp now) {
  Classified c;
  if ((c.failure = TransportFailure(r))) return c;
  if ((c.failure = UrlFailure(r))) return c;
  Result<Json> parsed = ParseJson(r.body);
  std::optional<ErrorBody> err;
  if (parsed.ok()) err = ErrorOf(*parsed);
  const std::string code = err ? err->code : "";
  const std::string zhihu_message = err ? err->message : "";
  if (IsBlockedCode(code)) {
    c.failure = Fail(Outcome::kBlocked, r, zhihu_message.empty() ? "blocked" : zhihu_message, code);
    return c;
  }
  if ((c.failure = StatusFailure(r, now, zhihu_message, code))) return c;
  if (!parsed.ok()) {
    c.failure = Fail(Outcome::kInvalidResponse, r, parsed.status().message());
    return c;
  }
  if (err) {
    const Outcome eo = code == "4041" ? Outcome::kNotFound : Outcome::kInvalidResponse;
    c.failure = Fail(eo, r, zhihu_message.empty() ? "error object in a " + std::to_string(r.status) + " response"
                                                   : zhihu_message, code);
    return c;
  }
  c.body = std::move(parsed).value();
  return c;
}

}  // namespace archivist::fetch::zhihu
