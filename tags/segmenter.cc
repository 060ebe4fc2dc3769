// jieba.cut(sentence, cut_all=False, HMM=True), ported from jieba 0.42.1 (jieba/__init__.py).
//
// 1. Blocks. re_han_default.split(sentence) cuts the text into maximal runs of the class
//    [\u4E00-\u9FD5a-zA-Z0-9+#&._%-] (ASCII ranges only: the pattern has no IGNORECASE, and
//    `a-z` in a Python pattern is a code point range) and runs of everything else. A run of
//    the class goes to __cut_DAG. Anything else is split by re_skip_default = (\r\n|\s); each
//    separator is a token ("\r\n" is one token) and every other piece is yielded character by
//    character — so, whatever \s matches, every character except "\r\n" pairs is a token.
//
// 2. DAG. For each position k, the ends i of dictionary words sentence[k:i+1]: walk the trie
//    from sentence[k] while the fragment is in FREQ (a trie node), collecting nodes whose
//    frequency is non-zero; if there are none, [k] alone.
//
// 3. Route. From the end backwards, route[idx] = max over x in DAG[idx] of
//    (log(FREQ.get(frag) or 1) - logtotal + route[x+1][0], x): Python's tuple max, so on equal
//    probabilities the larger x wins. The first summand is precomputed per trie node with the
//    same double operations, so the sums are bit-identical.
//
// 4. __cut_DAG. Follow the route. Single-character steps accumulate in `buf`; a longer word
//    first flushes buf — one character is yielded as is; several are yielded one by one if buf
//    itself is a word (FREQ.get(buf) non-zero), else handed to finalseg's HMM (hmm.cc).
#include "tags/segmenter.h"

namespace archivist::tags {

bool Segmenter::IsBlockChar(char32_t c) {
  if (c < 0x80) {
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9') ||
           c == U'+' || c == U'#' || c == U'&' || c == U'.' || c == U'_' || c == U'%' ||
           c == U'-';
  }
  return c >= kHanFirst && c <= kHanLast;
}

void Segmenter::Cut(std::u32string_view text, std::vector<std::u32string_view>* out) const {
  size_t i = 0;
  while (i < text.size()) {
    if (IsBlockChar(text[i])) {
      size_t j = i + 1;
      while (j < text.size() && IsBlockChar(text[j])) ++j;
      CutBlock(text.substr(i, j - i), out);
      i = j;
    } else if (text[i] == U'\r' && i + 1 < text.size() && text[i + 1] == U'\n') {
      out->push_back(text.substr(i, 2));
      i += 2;
    } else {
      out->push_back(text.substr(i, 1));
      ++i;
    }
  }
}

namespace {

// The DAG, flattened: the candidates of position k are end/weight[begin[k] .. begin[k+1]).
struct Dag {
  std::vector<uint32_t> begin;
  std::vector<uint32_t> end;
  std::vector<double> weight;  // log(FREQ.get(frag) or 1) - logtotal
};

// jieba's get_DAG.
void BuildDag(const PrefixDict& dict, std::u32string_view block, Dag* dag) {
  const size_t n = block.size();
  dag->begin.resize(n + 1);
  dag->end.reserve(n * 2);
  dag->weight.reserve(n * 2);
  for (size_t k = 0; k < n; ++k) {
    dag->begin[k] = static_cast<uint32_t>(dag->end.size());
    uint32_t node = PrefixDict::kRoot;
    for (size_t i = k; i < n; ++i) {
      node = dict.Child(node, block[i]);
      if (node == PrefixDict::kNoNode) break;
      if (dict.IsWord(node)) {
        dag->end.push_back(static_cast<uint32_t>(i));
        dag->weight.push_back(dict.Weight(node));
      }
    }
    if (dag->end.size() == dag->begin[k]) {
      dag->end.push_back(static_cast<uint32_t>(k));
      dag->weight.push_back(dict.MissingWeight());
    }
  }
  dag->begin[n] = static_cast<uint32_t>(dag->end.size());
}

// jieba's calc: route[idx] = max over the DAG of (weight + route[x+1].prob, x), with
// route[n] = (0, 0). Returns the x of each route[idx] (the end of the word starting at idx).
std::vector<uint32_t> CalcRoute(const Dag& dag, size_t n) {
  std::vector<double> prob(n + 1, 0.0);
  std::vector<uint32_t> next(n + 1, 0);
  for (size_t idx = n; idx-- > 0;) {
    double best_p = 0;
    uint32_t best_x = 0;
    for (uint32_t e = dag.begin[idx]; e < dag.begin[idx + 1]; ++e) {
      const uint32_t x = dag.end[e];
      const double p = dag.weight[e] + prob[x + 1];
      // Python's tuple max: the larger probability; on a tie, the larger x.
      if (e == dag.begin[idx] || p > best_p || (p == best_p && x > best_x)) {
        best_p = p;
        best_x = x;
      }
    }
    prob[idx] = best_p;
    next[idx] = best_x;
  }
  return next;
}

}  // namespace

void Segmenter::CutBlock(std::u32string_view block, std::vector<std::u32string_view>* out) const {
  const size_t n = block.size();
  Dag dag;
  BuildDag(*dict_, block, &dag);
  const std::vector<uint32_t> next = CalcRoute(dag, n);
  // __cut_DAG: single-character steps gather in buf, flushed before a longer word and at the end.
  size_t buf_begin = 0;
  size_t buf_len = 0;
  size_t x = 0;
  while (x < n) {
    const size_t y = next[x] + 1;
    if (y - x == 1) {
      if (buf_len == 0) buf_begin = x;
      ++buf_len;
    } else {
      if (buf_len > 0) {
        FlushBuffer(block.substr(buf_begin, buf_len), out);
        buf_len = 0;
      }
      out->push_back(block.substr(x, y - x));
    }
    x = y;
  }
  if (buf_len > 0) FlushBuffer(block.substr(buf_begin, buf_len), out);
}

void Segmenter::FlushBuffer(std::u32string_view buf, std::vector<std::u32string_view>* out) const {
  if (buf.size() == 1) {
    out->push_back(buf);
    return;
  }
  const uint32_t node = dict_->Find(buf);
  if (node == PrefixDict::kNoNode || !dict_->IsWord(node)) {
    HmmCut(*hmm_, buf, out);
    return;
  }
  for (size_t i = 0; i < buf.size(); ++i) out->push_back(buf.substr(i, 1));
}

}  // namespace archivist::tags
