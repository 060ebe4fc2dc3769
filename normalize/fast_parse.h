// A fast path for parsing an answer's HTML, with gumbo as the fallback.
//
// gumbo's tree construction is most of the converter's time, yet Zhihu serves well-formed,
// server-generated HTML from a small set of elements, where HTML5 tree construction reduces
// to "append to the current node". FastParse recognises exactly that subset — a whitelist of
// elements, strictly nested, end tags that close the current node, a handful of character
// references, no construct whose tree-building is anything but plain insertion — and builds
// the same Dom that ParseTurndownRoot (gumbo) would build. Anything else, and every case of
// doubt, is a bail-out: it returns false and the caller parses with gumbo. See
// docs/normalize.md, "The fast path", for the accepted subset and why it is safe;
// normalize/fast_parse_test.cc proves the equality on every corpus we have.
#ifndef ARCHIVIST_NORMALIZE_FAST_PARSE_H_
#define ARCHIVIST_NORMALIZE_FAST_PARSE_H_

#include <string_view>

#include "normalize/dom.h"

namespace archivist::normalize {

// If `html` (valid UTF-8, see SanitizeUtf8) lies in the accepted subset, sets *dom to the Dom
// ParseTurndownRoot(html) would return and returns true. Otherwise returns false and leaves
// *dom in an unspecified state. Never accepts nesting deeper than kMaxDepth elements, so an
// accepted input is one LimitNesting leaves unchanged.
bool FastParse(std::string_view html, Dom* dom);

// The parse every conversion uses: FastParse, else ParseTurndownRoot(LimitNesting(html)).
// `html` must be valid UTF-8. Sets *fast (if not null) to whether the fast path was taken.
Dom ParseAnswerHtml(std::string_view html, bool* fast = nullptr);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_FAST_PARSE_H_
