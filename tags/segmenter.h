// Segmenter: jieba 0.42.1's `jieba.cut(text, HMM=True)` (accurate mode with the HMM).
//
// Thread-safety: const methods only; share freely once built. Borrows the dictionary and the
// model, which must outlive it.
#ifndef ARCHIVIST_TAGS_SEGMENTER_H_
#define ARCHIVIST_TAGS_SEGMENTER_H_

#include <string_view>
#include <vector>

#include "tags/hmm.h"
#include "tags/prefix_dict.h"

namespace archivist::tags {

class Segmenter {
 public:
  Segmenter(const PrefixDict* dict, const HmmModel* hmm) : dict_(dict), hmm_(hmm) {}

  // Appends the tokens of jieba.cut(text) to *out, in order. Every token is a non-empty view
  // into `text`, and together they cover `text` exactly.
  void Cut(std::u32string_view text, std::vector<std::u32string_view>* out) const;

  // re_han_default: [\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-].
  static bool IsBlockChar(char32_t c);

 private:
  // __cut_DAG on one block of IsBlockChar characters.
  void CutBlock(std::u32string_view block, std::vector<std::u32string_view>* out) const;
  // The buffered single characters of __cut_DAG: one char, a dictionary word, or the HMM.
  void FlushBuffer(std::u32string_view buf, std::vector<std::u32string_view>* out) const;

  const PrefixDict* dict_;
  const HmmModel* hmm_;
};

}  // namespace archivist::tags

#endif  // ARCHIVIST_TAGS_SEGMENTER_H_
