// Code-point text for the jieba port: UTF-8 ↔ UTF-32 and the few Python character classes
// that jieba's behaviour depends on.
//
// jieba works on Python `str` values, which are sequences of Unicode code points (not UTF-16
// units, not bytes), so the port decodes its input to std::u32string once and works on code
// points throughout; lengths, slices and DAG positions are code-point indices as in Python.
//
// Thread-safety: pure functions.
#ifndef ARCHIVIST_TAGS_UTF8_H_
#define ARCHIVIST_TAGS_UTF8_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace archivist::tags {

// Decodes strict UTF-8 (as Python's bytes.decode('utf-8')): no overlong forms, no surrogates,
// nothing above U+10FFFF. On failure names `what` and the byte offset of the bad sequence.
Result<std::u32string> DecodeUtf8(std::string_view bytes, std::string_view what);

// The same, appending to *out; `bytes` starts at byte `offset` of what is named (for the
// error). Decoding a text piece by piece, at code-point boundaries, gives the same result.
Status AppendDecodedUtf8(std::string_view bytes, std::string_view what, size_t offset,
                         std::u32string* out);

// Appends the UTF-8 form of `text` (valid code points only) to *out.
void AppendUtf8(std::u32string_view text, std::string* out);
std::string EncodeUtf8(std::u32string_view text);

// Python's str.isspace() for one code point; re's `\s` on str patterns is the same set.
bool IsPythonSpace(char32_t c);

// Python's str.splitlines() line boundaries (\n \r \v \f \x1c \x1d \x1e \x85 \u2028 \u2029;
// "\r\n" counts as one boundary).
bool IsPythonLineBreak(char32_t c);

// Python's str.strip() with no argument: removes IsPythonSpace code points at both ends.
std::u32string_view PythonStrip(std::u32string_view s);

}  // namespace archivist::tags

#endif  // ARCHIVIST_TAGS_UTF8_H_
