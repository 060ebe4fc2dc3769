// CheckTomlText: what the configuration's text must be before toml++ sees it. Internal to
// config/.
//
// toml++ 3.3 (Debian 12) reaches __builtin_unreachable() — undefined behaviour, a crash or
// worse in a release build — when it asks whether some non-ASCII code points are white
// space (toml++ issues 190 and 295, fixed upstream after 3.3): a "ζ" right after a value, or
// after a line-ending backslash in a multi-line string, is enough. TOML itself allows
// non-ASCII text only inside strings and comments and requires UTF-8, so this check refuses,
// with the line and column, any file that is not valid UTF-8, has a non-ASCII character
// outside a string or comment, or has one first after a line-ending backslash; toml++ then
// only ever meets non-ASCII text where it does not ask that question.
//
// Thread-safety: a pure function.
#ifndef ARCHIVIST_CONFIG_TOML_TEXT_H_
#define ARCHIVIST_CONFIG_TOML_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

namespace archivist::config {

struct TomlTextError {
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in bytes
  std::string message;
};

// nullopt when `text` may be given to toml++.
std::optional<TomlTextError> CheckTomlText(std::string_view text);

}  // namespace archivist::config

#endif  // ARCHIVIST_CONFIG_TOML_TEXT_H_
