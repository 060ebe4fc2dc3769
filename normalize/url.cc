#include "normalize/url.h"

#include <vector>

#include "normalize/js_text.h"

namespace archivist::normalize {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";

void PercentEncodeByte(std::string* out, unsigned char b) {
  out->push_back('%');
  out->push_back(kHex[b >> 4]);
  out->push_back(kHex[b & 15]);
}

bool IsAsciiAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// /^[A-Za-z][A-Za-z0-9+.\-]*:/
bool HasScheme(std::string_view u) {
  if (u.empty() || !IsAsciiAlpha(u[0])) return false;
  for (size_t i = 1; i < u.size(); ++i) {
    const char c = u[i];
    if (c == ':') return true;
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '+' && c != '.' && c != '-') return false;
  }
  return false;
}

enum class EncodeSet { kPath, kQuery, kFragment };

// WHATWG percent-encode sets for a special URL: C0 controls and non-ASCII always, plus
// path: space " # < > ? ` { }; special-query: space " # < > '; fragment: space " < > `.
bool NeedsEncoding(unsigned char b, EncodeSet set) {
  if (b < 0x20 || b > 0x7E) return true;
  switch (set) {
    case EncodeSet::kPath:
      return b == ' ' || b == '"' || b == '#' || b == '<' || b == '>' || b == '?' || b == '`' ||
             b == '{' || b == '}';
    case EncodeSet::kQuery:
      return b == ' ' || b == '"' || b == '#' || b == '<' || b == '>' || b == '\'';
    case EncodeSet::kFragment:
      return b == ' ' || b == '"' || b == '<' || b == '>' || b == '`';
  }
  return false;
}

std::string Encode(std::string_view s, EncodeSet set) {
  std::string out;
  for (unsigned char b : s) {
    if (NeedsEncoding(b, set)) PercentEncodeByte(&out, b);
    else out.push_back(static_cast<char>(b));
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

bool IsSingleDot(std::string_view s) { return s == "." || EqualsIgnoreCase(s, "%2e"); }
bool IsDoubleDot(std::string_view s) {
  return s == ".." || EqualsIgnoreCase(s, ".%2e") || EqualsIgnoreCase(s, "%2e.") ||
         EqualsIgnoreCase(s, "%2e%2e");
}

// Resolves a relative reference (no scheme, not "//…") against https://www.zhihu.com/.
std::string ResolveRelative(std::string_view input) {
  // Strip leading and trailing C0 controls and spaces; remove tabs and newlines.
  size_t b = 0, e = input.size();
  while (b < e && static_cast<unsigned char>(input[b]) <= 0x20) ++b;
  while (e > b && static_cast<unsigned char>(input[e - 1]) <= 0x20) --e;
  std::string in;
  for (size_t i = b; i < e; ++i) {
    if (input[i] != '\t' && input[i] != '\n' && input[i] != '\r') in.push_back(input[i]);
  }
  auto is_slash = [](char c) { return c == '/' || c == '\\'; };
  // An authority of its own, or a scheme that only shows once controls, tabs or newlines
  // are gone: the URL parser would host-parse it; it is kept as it is instead.
  if ((in.size() >= 2 && is_slash(in[0]) && is_slash(in[1])) || HasScheme(in)) {
    return std::string(JsTrim(input));
  }

  std::vector<std::string> path;  // the base's path "/" is one empty segment, then shortened
  size_t i = 0;
  std::string query, fragment;
  bool has_query = false, has_fragment = false;
  if (!in.empty() && in[0] == '?') {
    path.push_back("");
  } else if (!in.empty() && in[0] == '#') {
    path.push_back("");
  } else {
    if (!in.empty() && is_slash(in[0])) i = 1;
    std::string buffer;
    for (;; ++i) {
      const bool end = i >= in.size();
      const char c = end ? '\0' : in[i];
      if (end || is_slash(c) || c == '?' || c == '#') {
        const bool slash = !end && is_slash(c);
        if (IsDoubleDot(buffer)) {
          if (!path.empty()) path.pop_back();
          if (!slash) path.push_back("");
        } else if (IsSingleDot(buffer)) {
          if (!slash) path.push_back("");
        } else {
          path.push_back(buffer);
        }
        buffer.clear();
        if (!slash) break;
      } else {
        buffer.push_back(c);
      }
    }
  }
  if (i < in.size() && in[i] == '?') {
    has_query = true;
    size_t j = in.find('#', i + 1);
    if (j == std::string::npos) j = in.size();
    query = Encode(std::string_view(in).substr(i + 1, j - i - 1), EncodeSet::kQuery);
    i = j;
  }
  if (i < in.size() && in[i] == '#') {
    has_fragment = true;
    fragment = Encode(std::string_view(in).substr(i + 1), EncodeSet::kFragment);
  }
  std::string out = "https://www.zhihu.com";
  for (const std::string& seg : path) out += "/" + Encode(seg, EncodeSet::kPath);
  if (path.empty()) out += "/";
  if (has_query) out += "?" + query;
  if (has_fragment) out += "#" + fragment;
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string PyQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() * 2);
  for (unsigned char b : s) {
    if (IsAsciiAlpha(static_cast<char>(b)) || IsAsciiDigit(static_cast<char>(b)) || b == '_' ||
        b == '.' || b == '-' || b == '~' || b == '/') {
      out.push_back(static_cast<char>(b));
    } else {
      PercentEncodeByte(&out, b);
    }
  }
  return out;
}

std::string AbsolutizeZhihuUrl(std::string_view raw) {
  const std::string_view u = JsTrim(raw);
  if (u.empty()) return "";
  if (u.substr(0, 2) == "//") return "https:" + std::string(u);
  if (HasScheme(u) || u[0] == '#') return std::string(u);
  return ResolveRelative(u);
}

bool DecodeUriComponent(std::string_view s, std::string* out) {
  out->clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out->push_back(s[i]);
      continue;
    }
    // A %-escaped UTF-8 sequence: every byte must be escaped and the sequence valid.
    auto byte_at = [&](size_t k, unsigned char* b) {
      if (k + 2 >= s.size() || s[k] != '%') return false;
      const int h = HexValue(s[k + 1]), l = HexValue(s[k + 2]);
      if (h < 0 || l < 0) return false;
      *b = static_cast<unsigned char>(h * 16 + l);
      return true;
    };
    unsigned char b0;
    if (!byte_at(i, &b0)) return false;
    if (b0 < 0x80) {
      out->push_back(static_cast<char>(b0));
      i += 2;
      continue;
    }
    size_t n = b0 >= 0xF0 && b0 <= 0xF4 ? 4 : b0 >= 0xE0 && b0 <= 0xEF ? 3
             : b0 >= 0xC2 && b0 <= 0xDF ? 2 : 0;
    if (n == 0) return false;
    std::string seq(1, static_cast<char>(b0));
    for (size_t k = 1; k < n; ++k) {
      unsigned char bk;
      if (!byte_at(i + 3 * k, &bk) || (bk & 0xC0) != 0x80) return false;
      seq.push_back(static_cast<char>(bk));
    }
    // Reject overlongs, surrogates and values above U+10FFFF.
    size_t pos = 0;
    const char32_t cp = DecodeUtf8(seq, &pos);
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    out->append(seq);
    i += 3 * n - 1;
  }
  return true;
}

}  // namespace archivist::normalize
