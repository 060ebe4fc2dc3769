#include "normalize/gumbo_escape.h"

#include <cstdint>

#include "base/utf8.h"
#include "normalize/js_text.h"

namespace archivist::normalize {

namespace {

constexpr char32_t kEscape = 0x10FFFD;
constexpr std::string_view kEscapeUtf8 = "\xF4\x8F\xBF\xBD";
// Partners: U+F0000 + the original for controls and U+FDD0–U+FDEF; U+FFE00 + 2 × plane +
// (0 for U+xFFFE, 1 for U+xFFFF); U+FFF00 for the escape itself; U+FFF10 + k for an
// overflowing reference written with kRefPrefixes[k].
constexpr char32_t kPartners = 0xF0000;
constexpr char32_t kNoncharPartners = kPartners + 0xFE00;
constexpr char32_t kEscapePartner = kPartners + 0xFF00;
constexpr char32_t kRefPartners = kPartners + 0xFF10;
constexpr std::string_view kRefPrefixes[] = {"&#", "&#x", "&#X"};
constexpr std::string_view kOverflowRef = "&#x110000;";  // any reference gumbo makes U+FFFD

// gumbo's utf8_is_invalid_code_point: what its input stream turns into U+FFFD.
bool GumboReplaces(char32_t c) {
  return (c >= 0x01 && c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) ||
         (c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

char32_t PartnerOf(char32_t c) {
  if (c == kEscape) return kEscapePartner;
  if ((c & 0xFFFE) == 0xFFFE) return kNoncharPartners + 2 * (c >> 16) + (c & 1);
  return kPartners + c;
}

// The character a partner stands for, or 0 if it is not a character's partner.
char32_t OriginalOf(char32_t partner) {
  if (partner == kEscapePartner) return kEscape;
  if (partner >= kNoncharPartners && partner < kNoncharPartners + 34) {
    const char32_t k = partner - kNoncharPartners;
    return ((k >> 1) << 16) | 0xFFFE | (k & 1);
  }
  if (partner < kPartners || partner > kPartners + 0xFFFF) return 0;
  const char32_t c = partner - kPartners;
  return GumboReplaces(c) ? c : 0;
}

bool IsDigitOf(char c, bool hex) {
  if (c >= '0' && c <= '9') return true;
  return hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
}

// At s[i] == '&': if a numeric reference whose value gumbo's int cannot hold starts here,
// returns the index in kRefPrefixes of its prefix and sets *digits_end; else -1.
int OverflowingRefAt(std::string_view s, size_t i, size_t* digits_end) {
  if (i + 2 >= s.size() || s[i + 1] != '#') return -1;
  size_t p = i + 2;
  int prefix = 0;
  if (s[p] == 'x' || s[p] == 'X') prefix = s[p++] == 'x' ? 1 : 2;
  const bool hex = prefix != 0;
  uint64_t value = 0;
  for (; p < s.size() && IsDigitOf(s[p], hex); ++p) {
    const char c = s[p];
    const int d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    value = value * (hex ? 16 : 10) + static_cast<uint64_t>(d);
    if (value > 0xFFFFFFFFull) value = 0xFFFFFFFFull;  // saturate: only "too big" matters
  }
  *digits_end = p;
  return value > 0x7FFFFFFF ? prefix : -1;
}

}  // namespace

bool EscapeForGumbo(std::string_view html, std::string* out) {
  std::string escaped;
  size_t copied = 0;  // html[copied, i) is not yet in `escaped`
  auto flush = [&](size_t upto) {
    if (escaped.empty()) escaped.reserve(html.size() + html.size() / 8 + 16);
    escaped.append(html.substr(copied, upto - copied));
  };
  for (size_t i = 0; i < html.size();) {
    const unsigned char b = static_cast<unsigned char>(html[i]);
    if (b >= 0x20 && b < 0x7F && b != '&') {
      ++i;
      continue;
    }
    if (b == '&') {
      size_t digits_end = 0;
      const int prefix = OverflowingRefAt(html, i, &digits_end);
      if (prefix < 0) {
        ++i;
        continue;
      }
      flush(i);
      escaped.append(kOverflowRef);
      AppendUtf8(&escaped, kEscape);
      AppendUtf8(&escaped, kRefPartners + static_cast<char32_t>(prefix));
      copied = i + kRefPrefixes[prefix].size();  // the digits follow as they are
      i = digits_end;
      continue;
    }
    const size_t start = i;
    const char32_t c = DecodeUtf8(html, &i);
    if (!GumboReplaces(c) && c != kEscape) continue;
    flush(start);
    AppendUtf8(&escaped, kEscape);
    AppendUtf8(&escaped, PartnerOf(c));
    copied = i;
  }
  if (copied == 0) return false;
  escaped.append(html.substr(copied));
  *out = std::move(escaped);
  return true;
}

void RestoreEscapes(std::string* s) {
  size_t pos = s->find(kEscapeUtf8);
  if (pos == std::string::npos) return;
  std::string out;
  out.reserve(s->size());
  size_t copied = 0;
  while (pos != std::string::npos) {
    size_t next = pos + kEscapeUtf8.size();
    const char32_t partner = next < s->size() ? DecodeUtf8(*s, &next) : 0;
    if (const char32_t original = OriginalOf(partner)) {
      out.append(*s, copied, pos - copied);
      AppendUtf8(&out, original);
      copied = next;
    } else if (partner >= kRefPartners && partner < kRefPartners + 3) {
      const std::string_view prefix = kRefPrefixes[partner - kRefPartners];
      const std::string_view before = std::string_view(*s).substr(copied, pos - copied);
      if (before.ends_with(kOverflowRef)) {  // raw text: the original characters
        out.append(before.substr(0, before.size() - kOverflowRef.size()));
        out.append(prefix);
        copied = next;
      } else {  // decoded to U+FFFD: drop the original digits
        out.append(before);
        const bool hex = prefix.size() == 3;
        while (next < s->size() && IsDigitOf((*s)[next], hex)) ++next;
        if (next < s->size() && (*s)[next] == ';') ++next;
        copied = next;
      }
    } else {  // not one of ours (cannot happen): leave it
      next = pos + kEscapeUtf8.size();
    }
    pos = s->find(kEscapeUtf8, next);
  }
  out.append(*s, copied);
  *s = std::move(out);
}

}  // namespace archivist::normalize
