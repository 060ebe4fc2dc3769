// A reader for the small subset of Python literal syntax that jieba keeps its tables in.
//
// jieba 0.42.1 ships its HMM tables as Python source (finalseg/prob_start.py, prob_trans.py,
// prob_emit.py: `P={'B': {'\u4e00': -3.65, ...}, ...}`) and its keyword stop words as a
// `set((...))` of string literals inside analyse/tfidf.py. Rather than execute Python, we parse
// the literal: dicts, tuples and lists of string and number literals, with Python's string
// escapes (\\ \' \" \n \r \t \a \b \f \v, octal, \xHH, \uHHHH, \UHHHHHHHH, line continuation,
// unknown escapes kept verbatim) and `#` comments. Floats are read with correct rounding
// (std::from_chars), as Python does. Anything else (names, calls, byte strings, triple quotes,
// f-strings) is an error naming the file and line, never a guess.
//
// Nesting is bounded (kMaxDepth) so hostile input cannot exhaust the stack.
//
// Thread-safety: pure functions.
#ifndef ARCHIVIST_TAGS_PYTHON_LITERAL_H_
#define ARCHIVIST_TAGS_PYTHON_LITERAL_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace archivist::tags {

struct PyValue {
  enum class Kind { kString, kNumber, kDict, kSequence };
  Kind kind = Kind::kNumber;
  std::u32string str;                               // kString
  double number = 0;                                // kNumber
  std::vector<std::pair<PyValue, PyValue>> items;   // kDict, in source order
  std::vector<PyValue> elements;                    // kSequence (tuple or list)
};

inline constexpr int kMaxPyLiteralDepth = 16;

// Parses the literal that starts at code point `start` of `source` (leading white space and
// comments are skipped). On success *end (if not null) is the index just past the literal.
// `what` names the source in errors ("…/prob_emit.py").
Result<PyValue> ParsePyLiteral(std::u32string_view source, size_t start, std::string_view what,
                               size_t* end = nullptr);

// Finds the assignment `name = ` (or `name=`) at the start of a line or after indentation,
// and parses the literal on its right-hand side. If the right-hand side is a call of `call`
// with one argument (e.g. `set((...))` with call == "set"), parses that argument instead.
Result<PyValue> ParsePyAssignment(std::u32string_view source, std::string_view name,
                                  std::string_view call, std::string_view what);

}  // namespace archivist::tags

#endif  // ARCHIVIST_TAGS_PYTHON_LITERAL_H_
