// web/side_by_side: two texts as two HTML columns, deleted text wrapped in <del> on the
// left, inserted text in <ins> on the right, at the level of words (diff/word_tokens.h:
// jieba words or single characters for Han, letter/digit runs elsewhere).
//
// Pure, reentrant; bounded like diff/word_diff.h (a changed block over kMaxBlockBytes is
// marked whole, each Myers run stops after kMaxCost edits). All text is escaped.
#ifndef ARCHIVIST_WEB_SIDE_BY_SIDE_H_
#define ARCHIVIST_WEB_SIDE_BY_SIDE_H_

#include <string>
#include <string_view>

#include "diff/word_tokens.h"

namespace archivist::web {

struct Columns {
  std::string left;   // `from`, escaped, with <del>…</del>
  std::string right;  // `to`, escaped, with <ins>…</ins>
};

Columns SideBySide(std::string_view from, std::string_view to, const diff::Segmenter& segment);

}  // namespace archivist::web

#endif  // ARCHIVIST_WEB_SIDE_BY_SIDE_H_
