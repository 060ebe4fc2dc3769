// turndown's collapseWhitespace (docs/format.md §5.4): rewrites the tree's text in place.
#ifndef ARCHIVIST_NORMALIZE_COLLAPSE_WHITESPACE_H_
#define ARCHIVIST_NORMALIZE_COLLAPSE_WHITESPACE_H_

#include "normalize/dom.h"

namespace archivist::normalize {

// Collapses runs of [ \t\r\n] to one space, drops white space next to blocks and <br>,
// detaches comments and emptied text nodes; <pre> subtrees are left untouched.
void CollapseWhitespace(Dom* dom, NodeId element);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_COLLAPSE_WHITESPACE_H_
