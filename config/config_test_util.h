// What the configuration tests share: parsing a text without touching files, and the errors
// as "line:message" lines.
#ifndef ARCHIVIST_CONFIG_CONFIG_TEST_UTIL_H_
#define ARCHIVIST_CONFIG_CONFIG_TEST_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace archivist::config {

inline ParseOptions NoFiles() {
  ParseOptions o;
  o.check_files = false;
  return o;
}

inline ParseResult Parse(std::string_view text) { return ParseConfig(text, "/etc/a.toml", NoFiles()); }

// "line:message" of every error, to compare in one go.
inline std::vector<std::string> Lines(const ParseResult& r) {
  std::vector<std::string> out;
  for (const ConfigError& e : r.errors) out.push_back(std::to_string(e.line) + ":" + e.message);
  return out;
}

}  // namespace archivist::config

#endif  // ARCHIVIST_CONFIG_CONFIG_TEST_UTIL_H_
