// TerminalSafe (see terminal_text.h). One pass over the bytes: ASCII is checked directly,
// a multi-byte sequence is decoded strictly (no overlong forms, no surrogates, nothing
// above U+10FFFF) and either copied whole or escaped as a code point; a byte that does not
// start a valid sequence is escaped alone and the scan resumes at the next byte.
#include "base/terminal_text.h"

#include <cstdint>
#include <cstdio>

namespace archivist {
namespace {

// The code point of the valid UTF-8 sequence at s[i] and its length, or length 0.
size_t DecodeStrict(std::string_view s, size_t i, char32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[i + k]); };
  const uint8_t lead = b(0);
  size_t n = 0;
  char32_t c = 0, min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2, c = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3, c = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4, c = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    c = (c << 6) | (b(k) & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  *cp = c;
  return n;
}

bool IsEscapedCodePoint(char32_t c) {
  return (c >= 0x80 && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

void AppendHexByte(std::string* out, uint8_t byte) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", byte);
  *out += buf;
}

}  // namespace

std::string TerminalSafe(std::string_view text, bool keep_layout) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<uint8_t>(text[i]);
    if (byte < 0x80) {
      if (byte >= 0x20 && byte != 0x7F) {
        out += static_cast<char>(byte);
      } else if (byte == '\n') {
        out += keep_layout ? "\n" : "\\n";
      } else if (byte == '\r') {
        out += "\\r";
      } else if (byte == '\t') {
        out += keep_layout ? "\t" : "\\t";
      } else {
        AppendHexByte(&out, byte);
      }
      ++i;
      continue;
    }
    char32_t cp = 0;
    const size_t n = DecodeStrict(text, i, &cp);
    if (n == 0) {
      AppendHexByte(&out, byte);
      ++i;
    } else if (IsEscapedCodePoint(cp)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
      i += n;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace archivist
