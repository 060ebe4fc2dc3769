// turndown 7.2.2 over our DOM (docs/format.md §5), plus the Zhihu profile's rules Z8.
#ifndef ARCHIVIST_NORMALIZE_TURNDOWN_H_
#define ARCHIVIST_NORMALIZE_TURNDOWN_H_

#include <string>
#include <string_view>

#include "normalize/dom.h"

namespace archivist::normalize {

struct TurndownOptions {
  bool fenced_code_blocks = false;  // codeBlockStyle: "fenced" (else "indented")
  bool zhihu_rules = false;         // the added rules Z8: math, strikethrough, tables
};

// Collapses white space in the tree under `root`, converts its children to Markdown and
// applies turndown's final trim. `root` itself is not converted.
std::string Turndown(Dom* dom, NodeId root, const TurndownOptions& options);

// turndown's escape(): Markdown escaping of one text node's data (docs/format.md §5.8).
std::string EscapeMarkdown(std::string_view text);

// turndown's join(): appends `r` to `*out`, merging the LF runs at the seam into
// max(left, right) LFs, at most two (docs/format.md §5.7).
void JoinInto(std::string* out, std::string_view r);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_TURNDOWN_H_
