// The thread document of docs/format.md §1, byte for byte.
#include <cstdio>
#include <string>

#include "normalize/js_text.h"
#include "normalize/normalize.h"

namespace archivist::normalize {

namespace {

bool IsLineBreakOrControl(char32_t c) {
  return c < 0x20 || c == 0x7F || c == 0x85 || c == 0x2028 || c == 0x2029;
}

// Every run of line breaks and control characters becomes one space.
std::string OneLine(std::string_view s) {
  std::string out;
  bool in_run = false;
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    const char32_t c = DecodeUtf8(s, &i);
    if (IsLineBreakOrControl(c)) {
      if (!in_run) out += ' ';
      in_run = true;
    } else {
      out.append(s.substr(start, i - start));
      in_run = false;
    }
  }
  return out;
}

// A YAML double-quoted scalar.
std::string YamlQuote(std::string_view s) {
  std::string out = "\"";
  char buf[16];
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    const char32_t c = DecodeUtf8(s, &i);
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(c));
      out += buf;
    } else if (c == 0x85 || c == 0x2028 || c == 0x2029) {
      std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(c));
      out += buf;
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out + "\"";
}

// A flow-sequence item: bare unless YAML would misread it.
std::string YamlFlowItem(std::string_view s) {
  bool quote = s.empty() || s[0] == '-' || s[0] == '?';
  for (size_t i = 0; i < s.size() && !quote;) {
    static constexpr std::string_view kSpecial = ",[]{}:#\"'\\&*!|>%@`";
    if (kSpecial.find(s[i]) != std::string_view::npos || JsWsLengthAt(s, i) > 0) quote = true;
    i += Utf8SeqLength(static_cast<unsigned char>(s[i]));
  }
  return quote ? YamlQuote(s) : std::string(s);
}

}  // namespace

std::string RenderDocument(const Document& doc) {
  std::string out = "---\nlayout: default\n";
  out += "Lastmod: " + doc.lastmod.ToIso8601() + "\n";
  out += "date: " + doc.date.ToIso8601() + "\n";
  out += "title: " + YamlQuote(OneLine(doc.title)) + "\n";
  out += "author: " + YamlQuote(OneLine(doc.author)) + "\n";
  out += "tags: [";
  for (size_t i = 0; i < doc.tags.size(); ++i) {
    if (i) out += ',';
    out += YamlFlowItem(doc.tags[i]);
  }
  out += "]\n---\n\n\n";
  for (const DocumentAnswer& a : doc.answers) {
    out += "    \n### 知乎用户 " + OneLine(a.author) + " 发表\n    \n";
    out += a.markdown;
    out += "\n    \n    \n    \n";
  }
  return out + "\n";
}

}  // namespace archivist::normalize
