// Header text: what may go into an HTTP request header. A value holding CR or LF would end
// the header and start another (header injection); any other control character has no
// business there either. Every header value archivist sends, from the configuration or the
// command line, passes CheckHeaderValue first; names pass CheckHeaderName.
//
// Thread-safety: pure functions.
#ifndef ARCHIVIST_BASE_HEADER_TEXT_H_
#define ARCHIVIST_BASE_HEADER_TEXT_H_

#include <string>
#include <string_view>

namespace archivist {

// "" when `value` holds no control character (U+0000–U+001F, U+007F), else where the first
// one is: "a control character (0x0d) at byte 12".
std::string CheckHeaderValue(std::string_view value);

// "" when `name` is an HTTP token (RFC 9110: letters, digits and !#$%&'*+-.^_`|~), else what
// is wrong with it.
std::string CheckHeaderName(std::string_view name);

}  // namespace archivist

#endif  // ARCHIVIST_BASE_HEADER_TEXT_H_
