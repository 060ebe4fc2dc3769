// The HMM word recogniser of jieba's finalseg: for runs of characters that the dictionary
// route leaves as single characters, a Viterbi search over the states B (begin), M (middle),
// E (end), S (single) finds words the dictionary does not know.
//
// HmmModel holds jieba's start, transition and emission log-probabilities (finalseg/prob_*.py).
// Emissions are only ever asked for characters in U+4E00..U+9FD5 (finalseg runs Viterbi on
// `[\u4E00-\u9FD5]+` blocks only), so they are kept as a dense table over that range; other
// keys of prob_emit.py can never be looked up and are dropped.
//
// Thread-safety: immutable after construction; share freely.
#ifndef ARCHIVIST_TAGS_HMM_H_
#define ARCHIVIST_TAGS_HMM_H_

#include <array>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tags/cache_io.h"

namespace archivist::tags {

// The states in code order B < E < M < S — the order of their letters, which is what Python's
// max() over (prob, state) tuples uses to break ties.
enum HmmState { kB = 0, kE = 1, kM = 2, kS = 3 };
inline constexpr int kHmmStates = 4;

// finalseg.MIN_FLOAT, jieba's stand-in for log(0).
inline constexpr double kMinFloat = -3.14e100;
inline constexpr char32_t kHanFirst = 0x4E00;
inline constexpr char32_t kHanLast = 0x9FD5;

struct HmmModel {
  std::array<double, kHmmStates> start{};
  std::array<std::array<double, kHmmStates>, kHmmStates> trans{};  // [from][to]
  std::vector<double> emit;  // [state * kHanSpan + (c - kHanFirst)]

  static constexpr size_t kHanSpan = kHanLast - kHanFirst + 1;
  double Emit(int state, char32_t c) const { return emit[state * kHanSpan + (c - kHanFirst)]; }

  void Serialize(CacheWriter* w) const;
  static Result<HmmModel> Deserialize(CacheReader* r);
};

// finalseg.cut(sentence): appends the tokens (views into `sentence`) to *out.
void HmmCut(const HmmModel& model, std::u32string_view sentence,
            std::vector<std::u32string_view>* out);

}  // namespace archivist::tags

#endif  // ARCHIVIST_TAGS_HMM_H_
