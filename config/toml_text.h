// AsciiToml: the configuration's text as toml++ gets to see it — ASCII only. Internal to
// config/.
//
// toml++ 3.3 (Debian 12) reaches __builtin_unreachable() — undefined behaviour, a crash or
// worse in a release build — whenever it asks whether some non-ASCII code points are white
// space (a known toml++ bug, marzer/tomlplusplus#190 and #295, fixed upstream after 3.3):
// a "ζ" after a value, inside the ~128 characters it scans ahead of a bare value, or after a
// line-ending backslash in a multi-line string. Guessing all the places it asks is a losing game (the fuzzer found two
// within minutes), so toml++ never sees a non-ASCII byte: TOML allows non-ASCII text only in
// strings and comments, and requires UTF-8, so
//   - a file that is not valid UTF-8, or has a non-ASCII character outside a string or a
//     comment, is refused here with the line and column;
//   - a non-ASCII character in a "basic" string (or a quoted key) is written as its \u or \U
//     escape, which TOML reads back to the same text; a 'literal' string that holds one is
//     written as the "basic" string of the same value; in a comment it becomes '?'.
// Lines are kept, so toml++'s messages keep their line numbers; a column on a line with
// non-ASCII text counts the escaped form.
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

struct AsciiTomlResult {
  std::string text;                    // ASCII, when !error
  std::optional<TomlTextError> error;  // the text cannot be given to toml++
};

AsciiTomlResult AsciiToml(std::string_view text);

}  // namespace archivist::config

#endif  // ARCHIVIST_CONFIG_TOML_TEXT_H_
