// TerminalSafe: text from elsewhere (a server's titles and error messages, a file's values)
// made harmless for a terminal and for a log line, by replacing every character that a
// terminal or a log viewer would act on with a visible escape.
//
// What is escaped, and how:
//   - C0 controls U+0000–U+001F: TAB, LF, CR as \t \n \r, the others as \xHH (ESC is \x1b,
//     BEL \x07). LF and CR are escaped too: a message must not forge a line of its own.
//   - DEL U+007F as \x7f.
//   - C1 controls U+0080–U+009F as \u0085 etc. (U+009B is CSI, U+009D OSC in 8-bit
//     terminals).
//   - bidirectional overrides and isolates U+202A–U+202E, U+2066–U+2069 (they reorder what
//     follows them on the line) and the line and paragraph separators U+2028, U+2029, as
//     \u202e etc.
//   - bytes that are not UTF-8 (a lone 0x9B is CSI to a terminal that is not in UTF-8 mode)
//     as \xHH, one per byte.
// Everything else, backslashes included, is kept as is: the result is for people to read,
// not to be parsed back, and titles with backslashes or CJK text stay legible.
//
// `keep_layout` keeps LF and TAB as they are, for text that is meant to span lines: a
// document or a diff shown on a terminal, or a message whose lines archivist composed from
// local input (the configuration's error list). Never for a server's one-line fields
// (titles, error messages), which must not forge a line of their own.
//
// Thread-safety: a pure function.
#ifndef ARCHIVIST_BASE_TERMINAL_TEXT_H_
#define ARCHIVIST_BASE_TERMINAL_TEXT_H_

#include <string>
#include <string_view>

namespace archivist {

std::string TerminalSafe(std::string_view text, bool keep_layout = false);

}  // namespace archivist

#endif  // ARCHIVIST_BASE_TERMINAL_TEXT_H_
