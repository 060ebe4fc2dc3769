// diff/content_hash: the content hash that decides whether an answer's raw HTML changed.
//
// SHA-256 of the exact bytes served, as 64 lowercase hex digits. A cryptographic hash, not a
// fast one: the archive uses it as the identity of a revision's content, and one hash per
// answer per refresh costs nothing next to the fetch. Pure, reentrant.
#ifndef ARCHIVIST_DIFF_CONTENT_HASH_H_
#define ARCHIVIST_DIFF_CONTENT_HASH_H_

#include <string>
#include <string_view>

namespace archivist::diff {

std::string ContentHash(std::string_view bytes);

}  // namespace archivist::diff

#endif  // ARCHIVIST_DIFF_CONTENT_HASH_H_
