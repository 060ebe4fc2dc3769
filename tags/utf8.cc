#include "tags/utf8.h"

#include <string>

#include "base/utf8.h"

namespace archivist::tags {

namespace {

Status BadUtf8(std::string_view what, size_t offset) {
  return Status::InvalidArgument(std::string(what) + ": invalid UTF-8 at byte " +
                                 std::to_string(offset));
}

}  // namespace

Result<std::u32string> DecodeUtf8(std::string_view bytes, std::string_view what) {
  std::u32string out;
  out.reserve(bytes.size());
  Status st = AppendDecodedUtf8(bytes, what, 0, &out);
  if (!st.ok()) return st;
  return out;
}

Status AppendDecodedUtf8(std::string_view bytes, std::string_view what, size_t offset,
                         std::u32string* decoded) {
  std::u32string& out = *decoded;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char b0 = p[i];
    if (b0 < 0x80) {
      out.push_back(b0);
      ++i;
      continue;
    }
    int len;
    char32_t cp;
    char32_t min;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
      return BadUtf8(what, offset + i);
    }
    if (n - i < static_cast<size_t>(len)) return BadUtf8(what, offset + i);
    for (int k = 1; k < len; ++k) {
      const unsigned char b = p[i + k];
      if ((b & 0xC0) != 0x80) return BadUtf8(what, offset + i);
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return BadUtf8(what, offset + i);
    }
    out.push_back(cp);
    i += len;
  }
  return Status::Ok();
}

void AppendUtf8(std::u32string_view text, std::string* out) {
  for (const char32_t c : text) archivist::AppendUtf8(out, c);
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  AppendUtf8(text, &out);
  return out;
}

bool IsPythonSpace(char32_t c) {
  // The 29 code points for which CPython 3.11's str.isspace() is true (checked against
  // re.match(r'\s', ...) over all of Unicode; unicode_test.cc lists them).
  if (c <= 0x20) return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
  if (c < 0x85) return false;
  switch (c) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

bool IsPythonLineBreak(char32_t c) {
  return (c >= 0x0A && c <= 0x0D) || (c >= 0x1C && c <= 0x1E) || c == 0x85 || c == 0x2028 ||
         c == 0x2029;
}

std::u32string_view PythonStrip(std::u32string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && IsPythonSpace(s[b])) ++b;
  while (e > b && IsPythonSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

}  // namespace archivist::tags
