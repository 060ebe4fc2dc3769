// IdfTable: jieba's analyse/idf.txt as a sorted table, word (UTF-8) → IDF, plus the median
// IDF that extract_tags gives words the table does not know.
//
// As in jieba's IDFLoader, a later line for the same word replaces an earlier one, and the
// median is sorted(values)[len // 2] over the distinct words.
//
// Thread-safety: immutable after construction; share freely.
#ifndef ARCHIVIST_TAGS_IDF_TABLE_H_
#define ARCHIVIST_TAGS_IDF_TABLE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "tags/cache_io.h"

namespace archivist::tags {

class IdfTable {
 public:
  // From the (word, idf) entries in file order. Fails if there are none.
  static Result<IdfTable> Build(std::vector<std::pair<std::string, double>> entries);

  // idf_freq.get(word, median_idf).
  double Lookup(std::string_view word) const;
  double median() const { return median_; }
  size_t size() const { return values_.size(); }

  void Serialize(CacheWriter* w) const;
  static Result<IdfTable> Deserialize(CacheReader* r);

 private:
  std::string_view Word(size_t i) const {
    return std::string_view(blob_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }

  std::string blob_;               // the words, concatenated in byte order
  std::vector<uint32_t> offsets_;  // size() + 1
  std::vector<double> values_;
  double median_ = 0;
};

}  // namespace archivist::tags

#endif  // ARCHIVIST_TAGS_IDF_TABLE_H_
