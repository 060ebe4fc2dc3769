#include "tags/idf_table.h"

#include <algorithm>
#include <numeric>

namespace archivist::tags {

Result<IdfTable> IdfTable::Build(std::vector<std::pair<std::string, double>> entries) {
  if (entries.empty()) return Status::InvalidArgument("IDF table is empty");
  std::vector<uint32_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return entries[a].first < entries[b].first; });
  IdfTable t;
  t.offsets_.push_back(0);
  for (size_t k = 0; k < order.size(); ++k) {
    const auto& [word, value] = entries[order[k]];
    // A repeated word: the last line in the file wins, like dict assignment.
    if (k + 1 < order.size() && entries[order[k + 1]].first == word) continue;
    t.blob_ += word;
    t.offsets_.push_back(static_cast<uint32_t>(t.blob_.size()));
    t.values_.push_back(value);
  }
  std::vector<double> sorted = t.values_;
  const size_t mid = sorted.size() / 2;
  std::nth_element(sorted.begin(), sorted.begin() + mid, sorted.end());
  t.median_ = sorted[mid];
  return t;
}

double IdfTable::Lookup(std::string_view word) const {
  size_t lo = 0;
  size_t hi = values_.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (Word(mid) < word) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return (lo < values_.size() && Word(lo) == word) ? values_[lo] : median_;
}

void IdfTable::Serialize(CacheWriter* w) const {
  w->PutScalar(median_);
  w->PutBytes(blob_.data(), blob_.size());
  w->PutArray(offsets_);
  w->PutArray(values_);
}

Result<IdfTable> IdfTable::Deserialize(CacheReader* r) {
  IdfTable t;
  std::string_view blob;
  ARCHIVIST_RETURN_IF_ERROR(r->GetScalar(&t.median_));
  ARCHIVIST_RETURN_IF_ERROR(r->GetBytes(&blob));
  t.blob_ = std::string(blob);
  ARCHIVIST_RETURN_IF_ERROR(r->GetArray(&t.offsets_));
  ARCHIVIST_RETURN_IF_ERROR(r->GetArray(&t.values_));
  if (t.values_.empty() || t.offsets_.size() != t.values_.size() + 1 || t.offsets_[0] != 0 ||
      t.offsets_.back() != t.blob_.size()) {
    return Status::Corruption("IDF table: array sizes disagree");
  }
  for (size_t i = 0; i < t.values_.size(); ++i) {
    if (t.offsets_[i] > t.offsets_[i + 1]) return Status::Corruption("IDF table: bad offsets");
    if (i > 0 && !(t.Word(i - 1) < t.Word(i))) return Status::Corruption("IDF table: not sorted");
  }
  return t;
}

}  // namespace archivist::tags
