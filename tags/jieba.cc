// Loading (with the cache) and jieba.analyse.extract_tags, ported from jieba 0.42.1
// (jieba/analyse/tfidf.py, TFIDF.extract_tags with allowPOS=() and withWeight=False):
//
//   freq = {}
//   for w in tokenizer.cut(sentence):
//       if len(w.strip()) < 2 or w.lower() in stop_words: continue
//       freq[w] = freq.get(w, 0.0) + 1.0
//   total = sum(freq.values())
//   for k in freq: freq[k] *= idf_freq.get(k, median_idf) / total
//   tags = sorted(freq, key=freq.__getitem__, reverse=True)[:topK]
//
// The dict keeps first-insertion order and Python's sort is stable (also with reverse=True),
// so equal weights keep the order in which the words first occurred: a stable sort on weight
// descending over the words in first-occurrence order. Counts are integers, so the float sum
// is exact; the weight is count * (idf / total), in that order, as `*=` evaluates it.
//
// w.lower(): a token of two or more characters after strip() is a slice of a block of
// re_han_default (ASCII letters, digits, +#&._%- and U+4E00..U+9FD5 — the only other
// multi-character token, "\r\n", strips to nothing), and for those characters str.lower() is
// ASCII lower-casing. So ASCII lower-casing is exact here.
#include "tags/jieba.h"

#include <algorithm>
#include <unordered_map>

#include "tags/data_cache.h"
#include "tags/utf8.h"

namespace archivist::tags {

namespace {

std::string AsciiLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// The data: from the cache when it is valid, else from the sources (then refresh the cache).
Result<JiebaData> LoadData(const JiebaOptions& options, JiebaLoadReport* report) {
  Result<std::string> fingerprint = JiebaFingerprint(options.data_dir);
  if (!fingerprint.ok()) return fingerprint.status();
  const std::string cache_dir = options.cache_dir.empty() ? DefaultCacheDir() : options.cache_dir;
  if (options.use_cache && !cache_dir.empty()) {
    report->cache_path = JiebaCachePath(cache_dir, options.data_dir);
    Result<JiebaData> cached = ReadJiebaCache(report->cache_path, *fingerprint);
    if (cached.ok()) {
      report->from_cache = true;
      return cached;
    }
    report->cache_note = cached.status().ToString();
  } else {
    report->cache_note = options.use_cache ? "no cache directory" : "cache disabled";
  }
  Result<JiebaData> data = LoadJiebaSources(options.data_dir);
  if (!data.ok() || report->cache_path.empty()) return data;
  Status written = WriteJiebaCache(report->cache_path, *fingerprint, *data);
  if (written.ok()) {
    report->cache_written = true;
  } else {
    report->cache_note += "; not written: " + written.ToString();
  }
  return data;
}

}  // namespace

Result<std::unique_ptr<Jieba>> Jieba::Load(const JiebaOptions& options,
                                           JiebaLoadReport* report) {
  JiebaLoadReport local;
  if (report == nullptr) report = &local;
  *report = JiebaLoadReport{};
  Result<JiebaData> data = LoadData(options, report);
  if (!data.ok()) return data.status();
  return std::unique_ptr<Jieba>(new Jieba(std::move(data).value()));
}

Result<std::vector<std::string>> Jieba::Cut(std::string_view text) const {
  Result<std::u32string> decoded = DecodeUtf8(text, "text");
  if (!decoded.ok()) return decoded.status();
  std::vector<std::u32string_view> tokens;
  segmenter_.Cut(*decoded, &tokens);
  std::vector<std::string> out;
  out.reserve(tokens.size());
  for (const std::u32string_view t : tokens) out.push_back(EncodeUtf8(t));
  return out;
}

Result<std::vector<std::string>> Jieba::ExtractTags(std::string_view text, size_t top_k) const {
  Result<std::u32string> decoded = DecodeUtf8(text, "text");
  if (!decoded.ok()) return decoded.status();
  return ExtractTags(std::u32string_view(*decoded), top_k);
}

std::vector<std::string> Jieba::ExtractTags(std::u32string_view text, size_t top_k) const {
  std::vector<std::u32string_view> tokens;
  segmenter_.Cut(text, &tokens);

  struct Entry {
    std::string word;
    double weight;  // first the count, then count * idf / total
  };
  std::vector<Entry> entries;  // in first-insertion order, like the dict
  std::unordered_map<std::u32string_view, size_t> index;
  double total = 0;
  for (const std::u32string_view w : tokens) {
    if (PythonStrip(w).size() < 2) continue;
    auto [it, inserted] = index.try_emplace(w, entries.size());
    if (inserted) {
      std::string word = EncodeUtf8(w);
      if (data_.IsStopWord(AsciiLower(word))) {
        index.erase(it);
        continue;
      }
      entries.push_back(Entry{std::move(word), 0.0});
    }
    entries[it->second].weight += 1.0;
    total += 1.0;
  }
  for (Entry& e : entries) e.weight *= data_.idf.Lookup(e.word) / total;
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.weight > b.weight; });
  if (top_k != 0 && entries.size() > top_k) entries.resize(top_k);
  std::vector<std::string> out;
  out.reserve(entries.size());
  for (Entry& e : entries) out.push_back(std::move(e.word));
  return out;
}

}  // namespace archivist::tags
