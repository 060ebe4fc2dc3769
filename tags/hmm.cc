// finalseg, ported from jieba 0.42.1 (jieba/finalseg/__init__.py).
//
// cut() splits its input with re_han = ([\u4E00-\u9FD5]+): Han runs go to Viterbi; the rest is
// split by re_skip = ([a-zA-Z0-9]+(?:\.\d+)?%?) and every non-empty piece (matches and the
// text between them) is a token. Its input is always a run of jieba's re_han_default class,
// so `\d` can only meet ASCII digits here.
//
// viterbi() keeps, per state y, the best (prob, previous state) over PrevStatus[y] with
// Python's tuple max: the larger probability, and on a tie the larger state letter. Sums are
// formed as Python does, (V[t-1][y0] + trans) + emit, so the doubles are identical. The final
// state is the better of E and S by the same rule. Instead of copying whole paths per step we
// keep back-pointers, which select the same path.
#include "tags/hmm.h"

namespace archivist::tags {

namespace {

// PrevStatus in jieba's order: B: 'ES', M: 'MB', S: 'SE', E: 'BM'.
constexpr int kPrev[kHmmStates][2] = {
    /*B*/ {kE, kS}, /*E*/ {kB, kM}, /*M*/ {kM, kB}, /*S*/ {kS, kE}};

bool IsHan(char32_t c) { return c >= kHanFirst && c <= kHanLast; }
bool IsAsciiAlnum(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9');
}
bool IsAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

// Python's max() over (prob, state) pairs: replace only when strictly greater.
void Consider(double p, int s, double* best_p, int* best_s) {
  if (p > *best_p || (p == *best_p && s > *best_s)) {
    *best_p = p;
    *best_s = s;
  }
}

// viterbi(obs, 'BMES', ...) then __cut: the tokens of one Han run.
void ViterbiCut(const HmmModel& m, std::u32string_view obs,
                std::vector<std::u32string_view>* out) {
  const size_t n = obs.size();
  std::vector<std::array<int8_t, kHmmStates>> back(n);
  std::array<double, kHmmStates> v{};
  for (int y = 0; y < kHmmStates; ++y) v[y] = m.start[y] + m.Emit(y, obs[0]);
  for (size_t t = 1; t < n; ++t) {
    std::array<double, kHmmStates> next{};
    for (int y = 0; y < kHmmStates; ++y) {
      const double em = m.Emit(y, obs[t]);
      const int y0 = kPrev[y][0];
      double best_p = v[y0] + m.trans[y0][y] + em;
      int best_s = y0;
      const int y1 = kPrev[y][1];
      Consider(v[y1] + m.trans[y1][y] + em, y1, &best_p, &best_s);
      next[y] = best_p;
      back[t][y] = static_cast<int8_t>(best_s);
    }
    v = next;
  }
  double best_p = v[kE];
  int state = kE;
  Consider(v[kS], kS, &best_p, &state);

  std::vector<int8_t> pos(n);
  for (size_t t = n; t-- > 0;) {
    pos[t] = static_cast<int8_t>(state);
    if (t > 0) state = back[t][state];
  }
  size_t begin = 0;
  size_t nexti = 0;
  for (size_t i = 0; i < n; ++i) {
    if (pos[i] == kB) {
      begin = i;
    } else if (pos[i] == kE) {
      out->push_back(obs.substr(begin, i + 1 - begin));
      nexti = i + 1;
    } else if (pos[i] == kS) {
      out->push_back(obs.substr(i, 1));
      nexti = i + 1;
    }
  }
  if (nexti < n) out->push_back(obs.substr(nexti));
}

// The end of a re_skip match starting at i (an ASCII alnum), per
// [a-zA-Z0-9]+(?:\.\d+)?%? — greedy, and every part after the first optional.
size_t SkipMatchEnd(std::u32string_view s, size_t i) {
  while (i < s.size() && IsAsciiAlnum(s[i])) ++i;
  if (i + 1 < s.size() && s[i] == U'.' && IsAsciiDigit(s[i + 1])) {
    i += 2;
    while (i < s.size() && IsAsciiDigit(s[i])) ++i;
  }
  if (i < s.size() && s[i] == U'%') ++i;
  return i;
}

// re_skip.split(blk), keeping the non-empty pieces.
void SkipSplit(std::u32string_view blk, std::vector<std::u32string_view>* out) {
  size_t gap = 0;  // start of the text since the last match
  size_t i = 0;
  while (i < blk.size()) {
    if (!IsAsciiAlnum(blk[i])) {
      ++i;
      continue;
    }
    if (i > gap) out->push_back(blk.substr(gap, i - gap));
    const size_t end = SkipMatchEnd(blk, i);
    out->push_back(blk.substr(i, end - i));
    gap = i = end;
  }
  if (blk.size() > gap) out->push_back(blk.substr(gap));
}

}  // namespace

void HmmCut(const HmmModel& model, std::u32string_view sentence,
            std::vector<std::u32string_view>* out) {
  size_t i = 0;
  while (i < sentence.size()) {
    size_t j = i;
    const bool han = IsHan(sentence[i]);
    while (j < sentence.size() && IsHan(sentence[j]) == han) ++j;
    if (han) {
      ViterbiCut(model, sentence.substr(i, j - i), out);
    } else {
      SkipSplit(sentence.substr(i, j - i), out);
    }
    i = j;
  }
}

void HmmModel::Serialize(CacheWriter* w) const {
  w->PutScalar(start);
  w->PutScalar(trans);
  w->PutArray(emit);
}

Result<HmmModel> HmmModel::Deserialize(CacheReader* r) {
  HmmModel m;
  ARCHIVIST_RETURN_IF_ERROR(r->GetScalar(&m.start));
  ARCHIVIST_RETURN_IF_ERROR(r->GetScalar(&m.trans));
  ARCHIVIST_RETURN_IF_ERROR(r->GetArray(&m.emit));
  if (m.emit.size() != kHmmStates * kHanSpan) {
    return Status::Corruption("HMM emission table has the wrong size");
  }
  return m;
}

}  // namespace archivist::tags
