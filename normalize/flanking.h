// turndown's flanking white space of a non-block element (docs/format.md §5.5).
#ifndef ARCHIVIST_NORMALIZE_FLANKING_H_
#define ARCHIVIST_NORMALIZE_FLANKING_H_

#include <string>

#include "normalize/dom.h"

namespace archivist::normalize {

// Sets *leading / *trailing to the white space turndown keeps around node `n`'s Markdown
// ("" for block elements). `all_ws`: n's textContent is all JS white space (or empty).
void FlankingWhitespace(const Dom& dom, bool all_ws, NodeId n, std::string* leading,
                        std::string* trailing);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_FLANKING_H_
