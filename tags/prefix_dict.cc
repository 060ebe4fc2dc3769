// Building the trie: the words are sorted (keeping, for a repeated word, the frequency of its
// last line, as Python's dict assignment does) and inserted in order, so each word shares the
// path of its common prefix with the previous word and nodes appear in depth-first order. The
// edges are then grouped by parent with a counting pass; since children were created in code
// point order, each group comes out sorted.
#include "tags/prefix_dict.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace archivist::tags {

PrefixDict PrefixDict::Build(const std::vector<std::pair<std::u32string, uint64_t>>& entries) {
  PrefixDict d;
  std::vector<uint32_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return entries[a].first < entries[b].first; });
  for (const auto& e : entries) d.total_ += e.second;
  const double log_total = std::log(static_cast<double>(d.total_));
  d.missing_weight_ = std::log(1.0) - log_total;

  std::vector<uint32_t> parent{kNoNode};
  std::vector<char32_t> label{0};
  std::vector<uint64_t> freq{0};
  std::vector<uint32_t> path{kRoot};  // path[i] = node of the previous word's first i chars
  const std::u32string* prev = nullptr;
  for (size_t k = 0; k < order.size(); ++k) {
    const std::u32string& word = entries[order[k]].first;
    // Repeated word: the last line wins (sorted stably, so the last one comes last).
    size_t common = 0;
    if (prev != nullptr) {
      while (common < word.size() && common < prev->size() && word[common] == (*prev)[common]) {
        ++common;
      }
    }
    path.resize(common + 1);
    for (size_t i = common; i < word.size(); ++i) {
      parent.push_back(path.back());
      label.push_back(word[i]);
      freq.push_back(0);
      path.push_back(static_cast<uint32_t>(parent.size() - 1));
    }
    freq[path.back()] = entries[order[k]].second;
    prev = &word;
  }

  const size_t n = parent.size();
  d.edge_begin_.assign(n + 1, 0);
  for (size_t i = 1; i < n; ++i) ++d.edge_begin_[parent[i] + 1];
  for (size_t i = 0; i < n; ++i) d.edge_begin_[i + 1] += d.edge_begin_[i];
  d.edge_char_.resize(n - 1);
  d.edge_child_.resize(n - 1);
  std::vector<uint32_t> fill(d.edge_begin_.begin(), d.edge_begin_.end() - 1);
  for (size_t i = 1; i < n; ++i) {
    const uint32_t slot = fill[parent[i]]++;
    d.edge_char_[slot] = label[i];
    d.edge_child_[slot] = static_cast<uint32_t>(i);
  }
  d.weight_.resize(n);
  d.is_word_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    d.is_word_[i] = freq[i] != 0;
    // Python: log(FREQ.get(frag) or 1) - logtotal, with log of an int as log of its double.
    d.weight_[i] = freq[i] != 0 ? std::log(static_cast<double>(freq[i])) - log_total : 0.0;
  }
  d.BuildRootTable();
  return d;
}

void PrefixDict::BuildRootTable() {
  root_bmp_.assign(0x10000, kNoNode);
  for (uint32_t e = edge_begin_[kRoot]; e < edge_begin_[kRoot + 1]; ++e) {
    if (edge_char_[e] < 0x10000) root_bmp_[edge_char_[e]] = edge_child_[e];
  }
}

uint32_t PrefixDict::Child(uint32_t node, char32_t c) const {
  if (node == kRoot && c < 0x10000) return root_bmp_[c];
  const char32_t* b = edge_char_.data() + edge_begin_[node];
  const char32_t* e = edge_char_.data() + edge_begin_[node + 1];
  if (e - b <= 8) {
    for (const char32_t* p = b; p < e; ++p) {
      if (*p == c) return edge_child_[p - edge_char_.data()];
    }
    return kNoNode;
  }
  const char32_t* p = std::lower_bound(b, e, c);
  return (p != e && *p == c) ? edge_child_[p - edge_char_.data()] : kNoNode;
}

uint32_t PrefixDict::Find(std::u32string_view word) const {
  uint32_t node = kRoot;
  for (const char32_t c : word) {
    node = Child(node, c);
    if (node == kNoNode) return kNoNode;
  }
  return node;
}

void PrefixDict::Serialize(CacheWriter* w) const {
  w->PutScalar(total_);
  w->PutScalar(missing_weight_);
  w->PutArray(edge_begin_);
  w->PutArray(edge_char_);
  w->PutArray(edge_child_);
  w->PutArray(weight_);
  w->PutArray(is_word_);
}

Result<PrefixDict> PrefixDict::Deserialize(CacheReader* r) {
  PrefixDict d;
  ARCHIVIST_RETURN_IF_ERROR(r->GetScalar(&d.total_));
  ARCHIVIST_RETURN_IF_ERROR(r->GetScalar(&d.missing_weight_));
  ARCHIVIST_RETURN_IF_ERROR(r->GetArray(&d.edge_begin_));
  ARCHIVIST_RETURN_IF_ERROR(r->GetArray(&d.edge_char_));
  ARCHIVIST_RETURN_IF_ERROR(r->GetArray(&d.edge_child_));
  ARCHIVIST_RETURN_IF_ERROR(r->GetArray(&d.weight_));
  ARCHIVIST_RETURN_IF_ERROR(r->GetArray(&d.is_word_));
  const size_t n = d.weight_.size();
  const auto bad = [](const char* what) {
    return Status::Corruption(std::string("prefix dictionary: ") + what);
  };
  if (n == 0 || d.is_word_.size() != n || d.edge_begin_.size() != n + 1 ||
      d.edge_char_.size() != n - 1 || d.edge_child_.size() != n - 1) {
    return bad("array sizes disagree");
  }
  if (d.edge_begin_[0] != 0 || d.edge_begin_[n] != n - 1) return bad("bad edge bounds");
  // Every node except the root is the child of exactly one edge, whose parent precedes it
  // (depth-first numbering): then it is a tree and every walk terminates.
  std::vector<uint8_t> seen(n, 0);
  for (size_t node = 0; node < n; ++node) {
    if (d.edge_begin_[node] > d.edge_begin_[node + 1]) return bad("edge bounds not monotonic");
    for (uint32_t e = d.edge_begin_[node]; e < d.edge_begin_[node + 1]; ++e) {
      const uint32_t child = d.edge_child_[e];
      if (child <= node || child >= n || seen[child]) return bad("edge to a bad node");
      seen[child] = 1;
      if (d.edge_char_[e] > 0x10FFFF) return bad("edge label beyond U+10FFFF");
      if (e > d.edge_begin_[node] && d.edge_char_[e - 1] >= d.edge_char_[e]) {
        return bad("edges not sorted");
      }
    }
  }
  d.BuildRootTable();
  return d;
}

}  // namespace archivist::tags
