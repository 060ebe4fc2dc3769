// PrefixDict: jieba's FREQ table (the "prefix dictionary") as a trie over code points.
//
// jieba's gen_pfdict stores every word of dict.txt with its frequency and every proper prefix
// of every word with frequency 0, unless the prefix is itself a word. "frag in FREQ" is then
// exactly "frag is a node of the trie of all words", and FREQ[frag] is the node's frequency
// (0 for prefix-only nodes). A later line for the same word replaces the frequency of an
// earlier one, while the total counts both lines — as in Python.
//
// Each word node also carries jieba's route weight log(freq) − log(total), computed with the
// same double operations as Python's calc() (so the route sums are bit-identical).
//
// Layout: nodes are numbered 0..N−1 (0 is the root); the children of node n are the edges
// edge_begin[n] .. edge_begin[n+1]−1, sorted by code point. The root's children are also kept
// in a direct table for the Basic Multilingual Plane.
//
// Thread-safety: immutable after construction; share freely.
#ifndef ARCHIVIST_TAGS_PREFIX_DICT_H_
#define ARCHIVIST_TAGS_PREFIX_DICT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "tags/cache_io.h"

namespace archivist::tags {

class PrefixDict {
 public:
  static constexpr uint32_t kRoot = 0;
  static constexpr uint32_t kNoNode = UINT32_MAX;

  // Builds from dict.txt's (word, frequency) entries in file order. Words are non-empty.
  static PrefixDict Build(const std::vector<std::pair<std::u32string, uint64_t>>& entries);

  // The child of `node` along code point c, or kNoNode.
  uint32_t Child(uint32_t node, char32_t c) const;
  // The node of `word` (a full path from the root), or kNoNode.
  uint32_t Find(std::u32string_view word) const;
  // FREQ.get(frag) is non-zero.
  bool IsWord(uint32_t node) const { return is_word_[node] != 0; }
  // log(FREQ[frag]) - log(total) for a word node.
  double Weight(uint32_t node) const { return weight_[node]; }
  // log(1) - log(total): jieba's weight for a fragment that is not a word ("FREQ.get() or 1").
  double MissingWeight() const { return missing_weight_; }
  uint64_t total() const { return total_; }
  size_t node_count() const { return weight_.size(); }

  void Serialize(CacheWriter* w) const;
  // Reads what Serialize wrote and checks the structure (edges in range and sorted, a tree).
  static Result<PrefixDict> Deserialize(CacheReader* r);

 private:
  void BuildRootTable();

  std::vector<uint32_t> edge_begin_;  // node_count + 1
  std::vector<char32_t> edge_char_;
  std::vector<uint32_t> edge_child_;
  std::vector<double> weight_;
  std::vector<uint8_t> is_word_;
  std::vector<uint32_t> root_bmp_;  // derived: root child per BMP code point
  uint64_t total_ = 0;
  double missing_weight_ = 0;
};

}  // namespace archivist::tags

#endif  // ARCHIVIST_TAGS_PREFIX_DICT_H_
