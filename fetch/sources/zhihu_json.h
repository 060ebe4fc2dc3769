// Zhihu's JSON, read into model structs. Internal to fetch/ (exposes nlohmann types).
//
// Ids are 64-bit and arrive as JSON strings or integers; they are read as integers or parsed
// from the string, never through a double (a JSON number with a fraction or exponent, or one
// beyond 64 bits, is rejected). Every error names the field and what is wrong.
//
// Bounds: a body nesting arrays and objects deeper than kMaxJsonDepth is refused before any
// DOM is built (a 140 KB body of 70,000 '[' would otherwise be a tree that recursive code
// such as dump() walks off the stack), and no message echoes more than kMaxEchoBytes of the
// body: a bad value is described by its type and size, strings are cut (base/bounded_text.h).
#ifndef ARCHIVIST_FETCH_SOURCES_ZHIHU_JSON_H_
#define ARCHIVIST_FETCH_SOURCES_ZHIHU_JSON_H_

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "base/status.h"
#include "model/model.h"

namespace archivist::fetch::zhihu {

using Json = nlohmann::json;

// Zhihu's API nests about 6 levels deep; anything beyond this is refused.
inline constexpr int kMaxJsonDepth = 64;

// The metadata that archivist stores and prints beside the content is bounded as it is
// read (Zhihu's own limits are far lower: titles of 100 characters, names of 30): a title
// to 1 KiB, an author's name, url_token and id to 256 bytes each, cut as BoundText cuts.
// Answer content is bounded by the body cap alone: it is what is archived.
inline constexpr size_t kMaxTitleBytes = 1024;
inline constexpr size_t kMaxNameBytes = 256;

// The byte offset at which `text` first opens an array or object nested deeper than
// `max_depth`, or npos. Strings are skipped as JSON lexes them, so on any prefix that is
// valid JSON this is the depth the parser would reach.
size_t DepthExceededAt(std::string_view text, int max_depth = kMaxJsonDepth);

// Parses `text`; on failure an invalid-argument Status with the parser's message (bounded),
// or naming the depth limit and the offset where it was passed.
Result<Json> ParseJson(std::string_view text);

// A bounded description of a value for messages: a number or a string of up to 64 bytes as
// JSON, a longer string as "a string of N bytes: " and its cut head, "an array of N items",
// "an object with N keys".
std::string Describe(const Json& v);

// A non-negative id from a JSON string of digits or an integer.
std::optional<uint64_t> IdFrom(const Json& v);

// The Zhihu error object of a body, if any: {"error": {"code": 40362, "message": "..."}}.
struct ErrorBody {
  std::string code;  // as text: "40362"; "" when absent
  std::string message;
};
std::optional<ErrorBody> ErrorOf(const Json& body);

Result<model::Answer> ParseAnswer(const Json& v);
Result<model::Question> ParseQuestion(const Json& v);

}  // namespace archivist::fetch::zhihu

#endif  // ARCHIVIST_FETCH_SOURCES_ZHIHU_JSON_H_
