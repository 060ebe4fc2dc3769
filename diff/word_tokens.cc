// Tokenizing for the word diff. A hand-written UTF-8 decoder (strict: no overlongs, no
// surrogates, nothing above U+10FFFF) classifies each code point; bytes that do not decode
// are single tokens, so hostile text still tokenizes in one linear pass.
#include "diff/word_tokens.h"

namespace archivist::diff {
namespace {

enum class Class { kHan, kWord, kSpace, kNewline, kOther };

// Decodes the code point at text[i]; returns its length (0 for an invalid sequence).
size_t Decode(std::string_view text, size_t i, char32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) return *cp = c, 1;
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (len == 0 || c > 0xF4 || i + len > text.size()) return 0;
  char32_t v = c & (0x3F >> (len - 1));
  for (size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b(k) & 0x3F);
  }
  const char32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return len;
}

bool IsHan(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

Class Classify(char32_t c) {
  if (IsHan(c)) return Class::kHan;
  if (c == '\n') return Class::kNewline;
  if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == 0x3000) {
    return Class::kSpace;
  }
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
    return Class::kWord;
  }
  // Letters beyond ASCII (Latin, Greek, Cyrillic, kana, Hangul …) join words; the CJK and
  // general punctuation blocks and fullwidth forms are punctuation.
  if (c >= 0x80 && !(c >= 0x2000 && c <= 0x2BFF) && !(c >= 0x3000 && c <= 0x303F) &&
      !(c >= 0xFE30 && c <= 0xFE4F) && !(c >= 0xFF00 && c <= 0xFF65) && c != 0xA0) {
    return Class::kWord;
  }
  return Class::kOther;
}

void CutHan(std::string_view run, const Segmenter& segment,
            std::vector<std::string_view>* out) {
  if (segment) {
    const std::vector<std::string> words = segment(run);
    size_t pos = 0;
    bool exact = true;
    for (const std::string& w : words) {
      if (w.empty() || run.substr(pos, w.size()) != w) {
        exact = false;
        break;
      }
      pos += w.size();
    }
    if (exact && pos == run.size()) {
      pos = 0;
      for (const std::string& w : words) out->push_back(run.substr(pos, w.size())), pos += w.size();
      return;
    }
  }
  for (size_t i = 0; i < run.size();) {
    char32_t cp = 0;
    const size_t len = Decode(run, i, &cp);  // the run is valid UTF-8
    out->push_back(run.substr(i, len));
    i += len;
  }
}

}  // namespace

std::vector<std::string_view> WordTokens(std::string_view text, const Segmenter& segment) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    size_t len = Decode(text, i, &cp);
    if (len == 0) {
      out.push_back(text.substr(i, 1));
      ++i;
      continue;
    }
    const Class cls = Classify(cp);
    size_t end = i + len;
    if (cls == Class::kHan || cls == Class::kWord || cls == Class::kSpace) {
      while (end < text.size()) {
        char32_t next = 0;
        const size_t n = Decode(text, end, &next);
        if (n == 0 || Classify(next) != cls) break;
        end += n;
      }
    }
    if (cls == Class::kHan) {
      CutHan(text.substr(i, end - i), segment, &out);
    } else {
      out.push_back(text.substr(i, end - i));
    }
    i = end;
  }
  return out;
}

int64_t CodePoints(std::string_view text) {
  int64_t n = 0;
  for (size_t i = 0; i < text.size(); ++n) {
    char32_t cp = 0;
    const size_t len = Decode(text, i, &cp);
    i += len == 0 ? 1 : len;
  }
  return n;
}

}  // namespace archivist::diff
