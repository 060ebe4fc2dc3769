// media/sha256: the SHA-256 that names a stored image, by OpenSSL's EVP interface (libssl-dev;
// OpenSSL is used nowhere else in archivist).
//
// Thread-safety: pure functions.
#ifndef ARCHIVIST_MEDIA_SHA256_H_
#define ARCHIVIST_MEDIA_SHA256_H_

#include <string>
#include <string_view>

namespace archivist::media {

// 64 lowercase hex digits.
std::string Sha256Hex(std::string_view bytes);

// True when `text` is 64 lowercase hex digits (a name a stored image may have).
bool IsSha256Hex(std::string_view text);

}  // namespace archivist::media

#endif  // ARCHIVIST_MEDIA_SHA256_H_
