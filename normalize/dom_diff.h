// Structural comparison of two Doms, for tests and the fuzzer (fast path vs gumbo).
#ifndef ARCHIVIST_NORMALIZE_DOM_DIFF_H_
#define ARCHIVIST_NORMALIZE_DOM_DIFF_H_

#include <string>

#include "normalize/dom.h"

namespace archivist::normalize {

// "" if the trees under the two roots are identical (node types, tags, namespace flags,
// attribute names, values and order, text and comment data, shape); otherwise a description
// of the first difference in document order, with the path of child indices that leads to it.
std::string FirstDomDifference(const Dom& expected, const Dom& actual);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_DOM_DIFF_H_
