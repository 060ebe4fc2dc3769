#include "base/header_text.h"

#include <cstdio>

namespace archivist {

std::string CheckHeaderValue(std::string_view value) {
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c == 0x7f) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "a control character (0x%02x) at byte %zu", c, i);
      return buf;
    }
  }
  return "";
}

std::string CheckHeaderName(std::string_view name) {
  if (name.empty()) return "an empty name";
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!token) {
      char buf[80];
      std::snprintf(buf, sizeof buf, "a character not allowed in a header name (0x%02x) at byte %zu",
                    static_cast<unsigned char>(c), i);
      return buf;
    }
  }
  return "";
}

}  // namespace archivist
