// diff/word_diff: changes marked at the level of words, and the size of an edit.
//
// WordDiff writes unified-diff hunks (the line diff decides where they are) whose lines show
// the new text with what changed marked inline, as `git diff --word-diff=plain` does:
// "[-removed-]{+added+}". Unchanged lines of a hunk are printed as they are, without a
// leading space. In Chinese text a one-character edit marks that character (or the jieba
// word around it, when a segmenter is given), not the paragraph.
//
// EditSize counts what an edit added and removed, in Unicode code points, with the finest
// tokens (one per Han character), so a one-character edit is +1 −1.
//
// Pure, reentrant; bounded for hostile input: a changed block of lines larger than
// `max_block_bytes` (old + new) is shown and counted at line level, and every Myers run
// stops after `max_cost` edits (see myers.h).
#ifndef ARCHIVIST_DIFF_WORD_DIFF_H_
#define ARCHIVIST_DIFF_WORD_DIFF_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "diff/word_tokens.h"

namespace archivist::diff {

struct WordDiffOptions {
  std::string from_label = "a";  // after "--- "
  std::string to_label = "b";    // after "+++ "
  int context = 3;               // unchanged lines around each change
  Segmenter segment;             // Han runs; empty: one token per character
  int max_cost = 2000;           // ≥ 1
  size_t max_block_bytes = 256 * 1024;
};

// "--- from_label\n+++ to_label\n" and the hunks; "" when the texts are equal.
std::string WordDiff(std::string_view from, std::string_view to,
                     const WordDiffOptions& options = {});

struct EditSize {
  int64_t added = 0;    // code points
  int64_t removed = 0;  // code points
};
EditSize MeasureEdit(std::string_view from, std::string_view to,
                     size_t max_block_bytes = 256 * 1024);

}  // namespace archivist::diff

#endif  // ARCHIVIST_DIFF_WORD_DIFF_H_
