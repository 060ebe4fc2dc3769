// Zhihu's JSON, read into model structs. Internal to fetch/ (exposes nlohmann types).
//
// Ids are 64-bit and arrive as JSON strings or integers; they are read as integers or parsed
// from the string, never through a double (a JSON number with a fraction or exponent, or one
// beyond 64 bits, is rejected). Every error names the field and what is wrong.
#ifndef ARCHIVIST_FETCH_SOURCES_ZHIHU_JSON_H_
#define ARCHIVIST_FETCH_SOURCES_ZHIHU_JSON_H_

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "base/status.h"
#include "model/model.h"

namespace archivist::fetch::zhihu {

using Json = nlohmann::json;

// Parses `text`; on failure an invalid-argument Status with the parser's message.
Result<Json> ParseJson(std::string_view text);

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
