#include "normalize/js_text.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace archivist::normalize {

namespace {

bool IsJsWsCodePoint(char32_t c) {
  switch (c) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20:
    case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000: case 0xFEFF:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

}  // namespace

size_t JsWsLengthAt(std::string_view s, size_t i) {
  const unsigned char b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return (b == ' ' || (b >= 0x09 && b <= 0x0D)) ? 1 : 0;
  if (b != 0xC2 && b != 0xE1 && b != 0xE2 && b != 0xE3 && b != 0xEF) return 0;
  size_t j = i;
  if (Utf8SeqLength(b) > s.size() - i) return 0;
  const char32_t cp = DecodeUtf8(s, &j);
  return IsJsWsCodePoint(cp) ? j - i : 0;
}

size_t JsWsLengthBefore(std::string_view s, size_t end) {
  if (end == 0) return 0;
  size_t start = end - 1;
  while (start > 0 && end - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
    --start;
  }
  const size_t n = JsWsLengthAt(s, start);
  return start + n == end ? n : 0;
}

bool IsAllJsWs(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = JsWsLengthAt(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string_view JsTrim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e) {
    const size_t n = JsWsLengthAt(s, b);
    if (n == 0) break;
    b += n;
  }
  while (e > b) {
    const size_t n = JsWsLengthBefore(s, e);
    if (n == 0) break;
    e -= n;
  }
  return s.substr(b, e - b);
}

size_t Utf16Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;
  }
  return n;
}

char32_t DecodeUtf8(std::string_view s, size_t* i) {
  const unsigned char b = static_cast<unsigned char>(s[*i]);
  const size_t n = Utf8SeqLength(b);
  if (n == 1 || *i + n > s.size()) {
    ++*i;
    return b;
  }
  char32_t cp = b & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += n;
  return cp;
}

namespace {

// Value of the digits of a 0x/0o/0b literal, correctly rounded (via a hex float for strtod).
double RadixValue(std::string_view digits, int bits_per_digit) {
  std::string bitstr;
  for (char c : digits) {
    int v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    for (int b = bits_per_digit - 1; b >= 0; --b) bitstr.push_back((v >> b) & 1 ? '1' : '0');
  }
  while (bitstr.size() % 4) bitstr.insert(bitstr.begin(), '0');
  std::string hex = "0x";
  for (size_t i = 0; i < bitstr.size(); i += 4) {
    int v = 0;
    for (int k = 0; k < 4; ++k) v = v * 2 + (bitstr[i + k] - '0');
    hex.push_back("0123456789abcdef"[v]);
  }
  return std::strtod(hex.c_str(), nullptr);
}

bool AllDigits(std::string_view s, int radix) {
  if (s.empty()) return false;
  for (char c : s) {
    const char l = static_cast<char>(c | 0x20);
    const bool ok = radix == 16 ? ((c >= '0' && c <= '9') || (l >= 'a' && l <= 'f'))
                                : (c >= '0' && c < '0' + radix);
    if (!ok) return false;
  }
  return true;
}

// StrDecimalLiteral without sign: digits[.digits][e[+-]digits], .digits[e…], "Infinity".
bool IsDecimalLiteral(std::string_view s) {
  size_t i = 0, int_digits = 0, frac_digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

}  // namespace

double JsNumber(std::string_view text) {
  const double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::string_view s = JsTrim(text);
  if (s.empty()) return 0;
  if (s.size() > 2 && s[0] == '0') {
    const char p = static_cast<char>(s[1] | 0x20);
    const int radix = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
    if (radix) {
      if (!AllDigits(s.substr(2), radix)) return kNaN;
      return RadixValue(s.substr(2), radix == 16 ? 4 : radix == 8 ? 3 : 1);
    }
  }
  double sign = 1;
  std::string_view body = s;
  if (body[0] == '+' || body[0] == '-') {
    sign = body[0] == '-' ? -1 : 1;
    body.remove_prefix(1);
  }
  if (body == "Infinity") return sign * std::numeric_limits<double>::infinity();
  if (!IsDecimalLiteral(body)) return kNaN;
  const std::string copy(body);
  return sign * std::strtod(copy.c_str(), nullptr);
}

std::string JsNumberToString(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return "0";
  std::string sign = d < 0 ? "-" : "";
  // Shortest round-trip digits, in scientific form: d[.ddd]e±X.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  const size_t e = sci.find('e');
  std::string digits;
  for (size_t i = 0; i < e; ++i) {
    if (sci[i] != '.') digits.push_back(sci[i]);
  }
  const int exp10 = std::atoi(sci.c_str() + e + 1);
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // value = 0.digits × 10^n
  std::string out;
  if (k <= n && n <= 21) {
    out = digits + std::string(n - k, '0');
  } else if (0 < n && n <= 21) {
    out = digits.substr(0, n) + "." + digits.substr(n);
  } else if (-6 < n && n <= 0) {
    out = "0." + std::string(-n, '0') + digits;
  } else {
    out = digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += (n - 1 >= 0 ? "e+" : "e-") + std::to_string(std::abs(n - 1));
  }
  return sign + out;
}

}  // namespace archivist::normalize
