// Preparing untrusted bytes for the HTML parser.
//
// RepairUtf8 (and SanitizeUtf8) decode as WHATWG's UTF-8 decoder does (and so Node.js's readFileSync(…,
// 'utf8') that produced the reference outputs): every maximal invalid subsequence becomes
// one U+FFFD.
//
// LimitNesting bounds the depth of the tree the parser will build. gumbo's tree builder
// spends time proportional to the depth of the open-element stack on most tags, so deeply
// nested input is quadratic (100,000 nested <div>s: ~15 s). A light tokenizer walks the
// input, tracks an approximate stack of open elements (end tags, the common implied end tags
// of p, li, dd/dt, td/th/tr, option, a), and drops every start tag that would open an element
// deeper than `max_depth`, together with the matching end tag. Text is never dropped. Real
// answers nest a few dozen elements at most; only hostile input is changed. (Output that
// grows faster than the input is bounded on the parsed tree instead: see amplifiers.h.)
#ifndef ARCHIVIST_NORMALIZE_HTML_INPUT_H_
#define ARCHIVIST_NORMALIZE_HTML_INPUT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace archivist::normalize {

inline constexpr size_t kMaxDepth = 256;

// The element the parser wraps the input in (see dom.cc). gumbo 0.10.1 matches end tags of
// unknown elements by its tag enum alone, so any stray "</foo>" would close turndown's own
// <x-turndown> wrapper; a <dir> wrapper is parsed the same way (like <div> it only closes an
// open <p>) but is known to gumbo. An input "</dir>" that closes no input <dir> is dropped, as
// the reference parser ignores it.
inline constexpr std::string_view kWrapperTag = "dir";

// If `in` is not valid UTF-8, writes the repaired text to *out and returns true; otherwise
// returns false and leaves *out alone (`in` is to be used as it is: no copy of a large
// answer is made).
bool RepairUtf8(std::string_view in, std::string* out);

// Valid UTF-8 for any input, as a value (a copy of `in` when it is valid already).
std::string SanitizeUtf8(std::string_view in);

// If start tags beyond `max_depth` (and their end tags) or stray wrapper end tags must go,
// writes the input without them to *out and returns how many tags were removed; otherwise
// returns 0 and leaves *out alone.
size_t LimitNesting(std::string_view html, size_t max_depth, std::string* out);

// The first '<' at or after `at_least` where, by the same rough reading as LimitNesting's,
// every element opened since `from` (assumed to be a point where none is open) is closed
// again; html.size() if there is none. A cheap guess of where the parser is back at the top
// level, for parsing a long input in segments (gumbo_parse.cc checks each guess).
size_t NextTopLevelMarkup(std::string_view html, size_t from, size_t at_least);

// The same as a value: the input with those tags removed (a copy of it when none is), and
// how many in *dropped.
std::string LimitNesting(std::string_view html, size_t max_depth, size_t* dropped);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_HTML_INPUT_H_
