// JavaScript string semantics that turndown's output depends on, over UTF-8 text.
//
// turndown runs on JavaScript strings, so a byte-exact port needs JS's notion of white space
// (`\s`, String.prototype.trim), UTF-16 lengths, and Number()/Number#toString for `<ol start>`.
// Everything here works on valid UTF-8 (the converter sanitizes its input first).
#ifndef ARCHIVIST_NORMALIZE_JS_TEXT_H_
#define ARCHIVIST_NORMALIZE_JS_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace archivist::normalize {

// ASCII white space as turndown's collapsing and flanking use it (docs/format.md §5.3):
// [ \t\r\n].
inline bool IsAsciiWs(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Length in bytes of the JS_WS character (`\s`) at s[i], or 0 if s[i] does not start one.
size_t JsWsLengthAt(std::string_view s, size_t i);

// Length in bytes of the JS_WS character that ends just before s[end], or 0.
size_t JsWsLengthBefore(std::string_view s, size_t end);

// True if every character of s is JS_WS (true for "").
bool IsAllJsWs(std::string_view s);

// String.prototype.trim().
std::string_view JsTrim(std::string_view s);

// Number of UTF-16 code units of the UTF-8 string s.
size_t Utf16Length(std::string_view s);

// Length of the UTF-8 sequence that starts with byte b (1 for continuation bytes).
inline size_t Utf8SeqLength(unsigned char b) {
  return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}


// Decodes the code point at s[*i] and advances *i. Input must be valid UTF-8.
char32_t DecodeUtf8(std::string_view s, size_t* i);

// JS Number(s): trims JS_WS, accepts decimal, exponent, Infinity, 0x/0o/0b; NaN otherwise.
double JsNumber(std::string_view s);

// JS Number.prototype.toString() (shortest round-trip digits, JS exponent rules).
std::string JsNumberToString(double d);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_JS_TEXT_H_
