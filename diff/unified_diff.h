// diff/unified_diff: a line diff of two texts in unified format, usable with `patch`.
//
// Pure, reentrant. Lines are split at '\n'; a last line without '\n' is marked
// "\ No newline at end of file" as GNU diff does. The diff is minimal (Myers) unless a part
// of it would need more than `max_cost` edits, in which case that part is written as a whole
// replacement: still correct for `patch`, and time stays O((N+M)·max_cost), memory O(N+M),
// so a 1 MB answer rewritten from scratch cannot stall the caller.
#ifndef ARCHIVIST_DIFF_UNIFIED_DIFF_H_
#define ARCHIVIST_DIFF_UNIFIED_DIFF_H_

#include <string>
#include <string_view>

namespace archivist::diff {

struct UnifiedDiffOptions {
  std::string from_label = "a";  // after "--- "
  std::string to_label = "b";    // after "+++ "
  int context = 3;               // unchanged lines around each change
  int max_cost = 2000;           // see above; ≥ 1
};

// The unified diff turning `from` into `to`: "--- from_label\n+++ to_label\n" and @@ hunks;
// "" when the texts are equal.
std::string UnifiedDiff(std::string_view from, std::string_view to,
                        const UnifiedDiffOptions& options = {});

}  // namespace archivist::diff

#endif  // ARCHIVIST_DIFF_UNIFIED_DIFF_H_
