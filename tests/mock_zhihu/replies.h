// Small helpers shared by the mock's routes: reading dumps, numbers from text, and the replies
// Zhihu gives (JSON with its error body, HTML pages, redirects).
//
// Thread-safety: pure functions.
#ifndef ARCHIVIST_TESTS_MOCK_ZHIHU_REPLIES_H_
#define ARCHIVIST_TESTS_MOCK_ZHIHU_REPLIES_H_

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "tests/mock_zhihu/http_server.h"

namespace mock_zhihu {

// The whole file, or "" with *ok false.
std::string ReadFile(const std::string& path, bool* ok);
// Compact JSON, UTF-8 as is (invalid bytes replaced).
std::string Dump(const nlohmann::json& j);
// `s` as a whole decimal integer, else `fallback`.
int64_t IntOr(const std::string& s, int64_t fallback);
// Zhihu's own message for an error code (or status) when a fault gives none.
std::string DefaultMessage(const std::string& code, int status);

Reply JsonReply(int status, std::string body);
// {"error":{"message":…,"code":C,"name":"MockError"}}; a numeric code is written as a number.
Reply ErrorReply(int status, const std::string& code, std::string message);
Reply HtmlReply(int status, std::string body);
Reply Redirect(const std::string& location);

}  // namespace mock_zhihu

#endif  // ARCHIVIST_TESTS_MOCK_ZHIHU_REPLIES_H_
