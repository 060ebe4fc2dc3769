// archivist_tags: keyword tags computed exactly as python3-jieba 0.42.1 computes them
// (docs/format.md §4) — `jieba.cut(text, HMM=True)` and `jieba.analyse.extract_tags(text, topK)` —
// from the data files of the Debian package python3-jieba, read at run time.
//
// Load() reads the data (or a compiled cache of it, see data_cache.h); afterwards a Jieba is
// immutable and its methods are const and thread-safe. Text is UTF-8; invalid UTF-8 is an
// error naming the byte offset. Results are token/keyword strings in UTF-8.
//
//   auto jieba = Jieba::Load({});                 // Debian's data, default cache
//   auto tags = (*jieba)->ExtractTags(text);      // ["蚂蚁", "金服", ...]
#ifndef ARCHIVIST_TAGS_JIEBA_H_
#define ARCHIVIST_TAGS_JIEBA_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tags/jieba_data.h"
#include "tags/segmenter.h"

namespace archivist::tags {

// Where Debian's python3-jieba installs the jieba package (and its data files).
inline constexpr char kDefaultJiebaDir[] = "/usr/lib/python3/dist-packages/jieba";

struct JiebaOptions {
  std::string data_dir = kDefaultJiebaDir;
  bool use_cache = true;
  // Directory of the compiled cache; empty means DefaultCacheDir() ($XDG_CACHE_HOME/archivist
  // or ~/.cache/archivist). If there is none, or it cannot be written, nothing is cached.
  std::string cache_dir;
};

// What Load() did about the cache (for diagnostics and the benchmark).
struct JiebaLoadReport {
  std::string cache_path;   // empty if no cache was considered
  bool from_cache = false;  // the data came from the cache
  bool cache_written = false;
  std::string cache_note;   // why the cache was not used or not written, if so
};

class Jieba {
 public:
  // Loads the data under options.data_dir. Fails if a data file is missing (the error names
  // the path and the package python3-jieba) or malformed (names the file and line). A missing,
  // stale or damaged cache is never an error: the sources are read and the cache rewritten.
  static Result<std::unique_ptr<Jieba>> Load(const JiebaOptions& options,
                                             JiebaLoadReport* report = nullptr);

  // jieba.lcut(text) (accurate mode, HMM on).
  Result<std::vector<std::string>> Cut(std::string_view text) const;
  // jieba.analyse.extract_tags(text, topK=top_k); top_k == 0 means all (topK=None).
  Result<std::vector<std::string>> ExtractTags(std::string_view text, size_t top_k = 5) const;

  // The same on decoded text; tokens are views into `text`.
  void Cut(std::u32string_view text, std::vector<std::u32string_view>* out) const {
    segmenter_.Cut(text, out);
  }
  std::vector<std::string> ExtractTags(std::u32string_view text, size_t top_k) const;

  const JiebaData& data() const { return data_; }

  Jieba(const Jieba&) = delete;
  Jieba& operator=(const Jieba&) = delete;

 private:
  explicit Jieba(JiebaData data)
      : data_(std::move(data)), segmenter_(&data_.dict, &data_.hmm) {}

  JiebaData data_;
  Segmenter segmenter_;  // borrows data_
};

}  // namespace archivist::tags

#endif  // ARCHIVIST_TAGS_JIEBA_H_
