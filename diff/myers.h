// diff/myers: the shortest edit script between two sequences of interned items (Myers' O(ND)
// algorithm, linear space), bounded in cost, and its grouping into hunks. The line diff
// (unified_diff.h) and the word diff (word_diff.h) share it.
//
// Pure, reentrant. Time O((N+M)·max_cost), memory O(N+M): a part of the input that would
// need more than `max_cost` edits is reported as replaced wholesale (correct, not minimal).
#ifndef ARCHIVIST_DIFF_MYERS_H_
#define ARCHIVIST_DIFF_MYERS_H_

#include <cstddef>
#include <utility>
#include <string_view>
#include <vector>

namespace archivist::diff {

struct EditOp {
  char tag;  // ' ' kept, '-' deleted from a, '+' inserted from b
  int a;     // index in a (for ' ' and '-'; for '+' the position in a)
  int b;     // index in b (for ' ' and '+'; for '-' the position in b)
};

// The script turning `a` into `b`: every item of a and b once, in order; deletions before
// insertions within a change.
std::vector<EditOp> EditScript(const std::vector<int>& a, const std::vector<int>& b,
                               int max_cost);

// EditScript over tokens compared as text (interned to integers first).
std::vector<EditOp> EditScriptOf(const std::vector<std::string_view>& a,
                                 const std::vector<std::string_view>& b, int max_cost);

// The lines of `text`, each with its '\n' (the last one may have none).
std::vector<std::string_view> SplitLines(std::string_view text);

// [begin, end) ranges of `ops` to show: each change with up to `context` kept items around
// it, changes closer than 2·context merged into one hunk. Empty when nothing changed.
std::vector<std::pair<size_t, size_t>> HunkRanges(const std::vector<EditOp>& ops, int context);

}  // namespace archivist::diff

#endif  // ARCHIVIST_DIFF_MYERS_H_
