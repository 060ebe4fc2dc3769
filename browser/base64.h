// Base64 (RFC 4648, standard alphabet, '=' padding) decoding for bodies the DevTools protocol
// sends encoded. Internal to browser/.
#ifndef ARCHIVIST_BROWSER_BASE64_H_
#define ARCHIVIST_BROWSER_BASE64_H_

#include <optional>
#include <string>
#include <string_view>

namespace archivist::browser {

// The decoded bytes, or nullopt when `text` is not base64 (white space is not allowed).
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace archivist::browser

#endif  // ARCHIVIST_BROWSER_BASE64_H_
