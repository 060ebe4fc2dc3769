// BoundText: the one way a string that came from outside (a server's error message, an id,
// a URL, a title) is cut before it reaches the archive, a log line or the terminal.
//
// Text from the network has no size of its own worth trusting: a 20 MiB "id" must not become
// a 20 MiB error message stored on every failed refresh. BoundText keeps at most `max` bytes:
// a longer text is cut on a UTF-8 character boundary and ends with "…" and its full size in
// bytes, e.g. "xxxx… (20971520 bytes)". It does not escape anything (control characters are
// the terminal's business); it only bounds.
//
// Thread-safety: pure functions.
#ifndef ARCHIVIST_BASE_BOUNDED_TEXT_H_
#define ARCHIVIST_BASE_BOUNDED_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace archivist {

// The default bound of one echoed string.
inline constexpr size_t kMaxEchoBytes = 1024;

// `text` itself when it is at most `max` bytes, else a prefix cut on a UTF-8 boundary
// followed by "… (N bytes)" (or only "…" when `max` is too small for the note), never more
// than `max` bytes in all (for `max` below 3, just the cut prefix).
std::string BoundText(std::string_view text, size_t max = kMaxEchoBytes);

}  // namespace archivist

#endif  // ARCHIVIST_BASE_BOUNDED_TEXT_H_
