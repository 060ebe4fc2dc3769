// model: the plain structs that fetch/, normalize/, diff/, store/ and daemon/ exchange.
//
// Those modules never include each other (docs/design.md); they still have to agree on what
// a snapshot, an answer and an outcome are. Those shared value types live here, header-only,
// with no behaviour beyond naming.
#ifndef ARCHIVIST_MODEL_MODEL_H_
#define ARCHIVIST_MODEL_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace archivist::model {

// The outcome of one fetch (docs/fetch.md "How the source decides the outcome"). Only kComplete may ever
// support a deletion.
enum class Outcome {
  kComplete,         // every page fetched and parsed, pagination reached is_end, no login wall
  kPartial,          // some answers seen, but the listing is not known to be complete
  kNotModified,      // the source said nothing changed
  kBlocked,          // 403, Zhihu codes 10003/40362/40352, captcha redirect
  kAuthRequired,     // 401, login wall (need_force_login, truncated content)
  kNotFound,         // the question does not exist (confirm before thread_gone)
  kRateLimited,      // 429; honour Retry-After
  kTransient,        // 5xx, timeouts, resets
  kInvalidResponse,  // unparseable body
  kTooLarge,         // body over the size cap
};

constexpr std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kComplete: return "complete";
    case Outcome::kPartial: return "partial";
    case Outcome::kNotModified: return "not_modified";
    case Outcome::kBlocked: return "blocked";
    case Outcome::kAuthRequired: return "auth_required";
    case Outcome::kNotFound: return "not_found";
    case Outcome::kRateLimited: return "rate_limited";
    case Outcome::kTransient: return "transient";
    case Outcome::kInvalidResponse: return "invalid_response";
    case Outcome::kTooLarge: return "too_large";
  }
  return "unknown";
}

inline std::optional<Outcome> ParseOutcome(std::string_view name) {
  for (Outcome o : {Outcome::kComplete, Outcome::kPartial, Outcome::kNotModified,
                    Outcome::kBlocked, Outcome::kAuthRequired, Outcome::kNotFound,
                    Outcome::kRateLimited, Outcome::kTransient, Outcome::kInvalidResponse,
                    Outcome::kTooLarge}) {
    if (OutcomeName(o) == name) return o;
  }
  return std::nullopt;
}

// Ids are 64-bit and never pass through a double (Zhihu sends them as strings or numbers).
using QuestionId = uint64_t;
using AnswerId = uint64_t;

struct Author {
  std::string name;       // display name as the source gives it ("匿名用户" when anonymous)
  std::string url_token;  // "" when anonymous
  std::string id;         // the source's opaque member id ("0" when anonymous)
  bool anonymous = false;
};

struct Answer {
  AnswerId id = 0;
  Author author;
  int64_t created_time = 0;  // Unix seconds, as the source reports them
  int64_t updated_time = 0;
  int64_t voteup_count = 0;
  int64_t comment_count = 0;
  std::string content_html;  // raw content HTML, exactly as served
};

struct Question {
  QuestionId id = 0;
  std::string title;
  Author author;             // meaningful only when show_author
  bool show_author = false;
  int64_t created_time = 0;
  int64_t updated_time = 0;
  int64_t answer_count = 0;  // as the source reports it (may disagree with the listing)
};

// Why a fetch was not complete: enough to tell a person and to store.
struct FetchError {
  int http_status = 0;   // 0 when no HTTP response (timeout, reset)
  std::string code;      // the source's error code, e.g. "40362"; "" if none
  std::string message;   // the source's message or our description
  int page = 0;          // 1-based page of the listing that failed; 0 = the question itself
};

// What one refresh of one thread saw.
struct Snapshot {
  Question question;
  std::vector<Answer> answers;  // in the source's default listing order
  Outcome outcome = Outcome::kTransient;
  FetchError error;             // set when outcome != kComplete
  int pages = 0;                // listing pages fetched
  std::optional<int64_t> retry_after_seconds;  // from Retry-After, when the source sent one

  bool complete() const { return outcome == Outcome::kComplete; }
};

// The single-answer probe that confirms a deletion.
enum class ProbeResult {
  kExists,   // the answer is still there
  kGone,     // HTTP 404 or Zhihu error 4041: it no longer exists
  kUnknown,  // blocked, rate-limited, failed: no evidence either way
};

// One entry of a hot list (discovery).
struct HotItem {
  QuestionId question_id = 0;
  std::string title;
  std::string heat;  // as displayed, e.g. "1234 万热度"
};

}  // namespace archivist::model

#endif  // ARCHIVIST_MODEL_MODEL_H_
