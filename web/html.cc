#include "web/html.h"

#include <cstdio>

namespace archivist::web {
namespace {

constexpr std::string_view kStyle = R"css(
:root{color-scheme:light dark}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Noto Sans CJK SC","Noto Sans",sans-serif;
background:#fff;color:#1b1b1b}
header{background:#24304a;color:#fff;padding:.5rem 1rem}
header a{color:#fff;text-decoration:none;margin-right:1rem}
main{max-width:52rem;margin:0 auto;padding:1rem}
a{color:#1a5fb4}
h1{font-size:1.4rem;line-height:1.3}
table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}
.answer{border:1px solid #ddd;border-radius:6px;padding:.2rem 1rem;margin:1rem 0;overflow-wrap:anywhere}
.answer img{max-width:100%;height:auto}
.answer pre{overflow-x:auto;background:#f4f4f4;padding:.5rem}
.deleted{border-color:#c01c28;background:#fff4f4}
.meta{color:#555;font-size:.9rem}
.badge{display:inline-block;background:#c01c28;color:#fff;border-radius:4px;padding:0 .4rem}
.nav{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}
.sbs{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}
.sbs pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.9rem;background:#f8f8f8;
padding:.5rem;margin:0}
del{background:#ffd7d5;text-decoration:line-through}
ins{background:#ccffd8;text-decoration:none}
@media (max-width:40rem){.sbs{grid-template-columns:1fr}main{padding:.5rem}
td,th{font-size:.9rem}}
@media (prefers-color-scheme:dark){body{background:#161616;color:#ddd}a{color:#78aeed}
.answer pre,.sbs pre{background:#222}.deleted{background:#2a1616}.meta{color:#aaa}
del{background:#5a1e1e}ins{background:#1e4a2a}}
)css";

// Length of the UTF-8 sequence at s[i] when valid, else 0.
size_t Utf8Length(std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  if (n == 2 && c < 0xC2) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  const unsigned char d = static_cast<unsigned char>(s[i + 1 < s.size() ? i + 1 : i]);
  if (n == 3 && c == 0xE0 && d < 0xA0) return 0;   // overlong
  if (n == 3 && c == 0xED && d >= 0xA0) return 0;  // surrogate
  if (n == 4 && (c > 0xF4 || (c == 0xF0 && d < 0x90) || (c == 0xF4 && d >= 0x90))) return 0;
  return n;
}

}  // namespace

Headers SecurityHeaders() {
  return {{"Content-Security-Policy", std::string(kContentSecurityPolicy)},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "no-referrer"},
          {"X-Frame-Options", "DENY"}};
}

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t i = 0; i < text.size();) {
    const size_t n = Utf8Length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    const char c = text[i];
    if (n > 1) {
      out.append(text.substr(i, n));
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"') {
      out += "&quot;";
    } else if (c == '\'') {
      out += "&#39;";
    } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      out += "\xEF\xBF\xBD";
    } else {
      out += c;
    }
    i += n;
  }
  return out;
}

std::string_view LangOf(std::string_view text) {
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0xE3 || c > 0xE9 || Utf8Length(text, i) != 3) continue;
    const unsigned cp = ((c & 0x0F) << 12) | ((text[i + 1] & 0x3F) << 6) | (text[i + 2] & 0x3F);
    if (cp >= 0x4E00 && cp <= 0x9FFF) return "zh";
    if (cp >= 0x3400 && cp <= 0x4DBF) return "zh";
  }
  return "en";
}

std::string PageTime(Timestamp t) {
  std::string iso = t.ToIso8601();  // 2026-01-17T08:00:00Z (or with fractions)
  if (iso.size() >= 16) return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
  return iso;
}

std::string PageStart(std::string_view title, std::string_view lang) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + std::string(lang) + "\">\n<head>\n"
                    "<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
  out += Escape(title);
  out += " · archivist</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<header lang=\"en\"><a href=\"/\">archivist</a>"
         "<a href=\"/changes\">changes</a><a href=\"/feeds/all.atom\">feed</a></header>\n<main>\n";
  return out;
}

std::string PageEnd() { return "</main>\n</body>\n</html>\n"; }

std::string UrlTime(Timestamp t) {
  std::string iso = t.ToIso8601();  // 2026-01-17T08:00:00.000000+00:00
  if (iso.ends_with("+00:00")) iso.replace(iso.size() - 6, 6, "Z");
  if (iso.size() == 27 && iso.substr(19, 7) == ".000000") iso.erase(19, 7);
  return iso;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~' || c == ':') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace archivist::web
