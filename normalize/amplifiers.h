// Bounding the Markdown's growth on the parsed tree.
//
// turndown's format multiplies some content: every level of blockquote or list prefixes
// every line below it; a setext heading underlines its whole content, so a heading inside a
// heading doubles it (nested <h2>s in 81 bytes made 1.2 GB, found by the fuzzer); each level
// of nested tables escapes the pipes of the levels inside it once more. FlattenAmplifiers
// unwraps (replaces by its children) every heading with kMaxHeadingDepth heading ancestors
// or more, every line-prefixing element (blockquote, ul, ol, li, menu, dir) with
// kMaxPrefixDepth such ancestors, and every table (and every td/th) with kMaxTableDepth
// table (cell) ancestors. It
// works on the tree the parser built, so no approximation of HTML's tree building can let a
// nesting slip through. Text is never dropped; real answers never come near the bounds (and
// the differential corpus, which nests headings four deep, is unaffected).
#ifndef ARCHIVIST_NORMALIZE_AMPLIFIERS_H_
#define ARCHIVIST_NORMALIZE_AMPLIFIERS_H_

#include <cstddef>

#include "normalize/dom.h"

namespace archivist::normalize {

inline constexpr size_t kMaxHeadingDepth = 4;
inline constexpr size_t kMaxPrefixDepth = 16;
inline constexpr size_t kMaxTableDepth = 8;

// Returns how many elements were unwrapped.
size_t FlattenAmplifiers(Dom* dom, NodeId root);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_AMPLIFIERS_H_
