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

namespace {

// jieba.cut(text) is the concatenation of jieba.cut over pieces of text cut anywhere but
// inside a block of Segmenter::IsBlockChar characters or between "\r" and "\n". Whether
// text[:j] | text[j:] is such a place (0 < j < text.size()).
bool IsCutPoint(std::u32string_view text, size_t j) {
  const bool in_block = Segmenter::IsBlockChar(text[j - 1]) && Segmenter::IsBlockChar(text[j]);
  return !in_block && !(text[j - 1] == U'\r' && text[j] == U'\n');
}

// The first cut point at or after `from`, or text.size().
size_t CutPointFrom(std::u32string_view text, size_t from) {
  for (size_t j = std::max<size_t>(from, 1); j < text.size(); ++j) {
    if (IsCutPoint(text, j)) return j;
  }
  return text.size();
}

// Pieces of this many code points (or the rest of a block) are cut at a time, so memory
// holds one piece's tokens, not the whole text's.
constexpr size_t kPieceChars = size_t{1} << 16;

}  // namespace

// The counting half of extract_tags, fed token by token.
class Jieba::TagCounter {
 public:
  explicit TagCounter(const JiebaData& data) : data_(data) {}

  void Add(std::u32string_view w) {
    if (PythonStrip(w).size() < 2) return;
    auto it = index_.find(w);
    if (it == index_.end()) {
      std::string word = EncodeUtf8(w);
      if (data_.IsStopWord(AsciiLower(word))) return;
      it = index_.emplace(std::u32string(w), entries_.size()).first;
      entries_.push_back(Entry{std::move(word), 0.0});
    }
    entries_[it->second].weight += 1.0;
    total_ += 1.0;
  }

  // Cuts `text` (a whole number of pieces, see CutPointFrom) and counts its tokens.
  void AddText(const Segmenter& segmenter, std::u32string_view text) {
    std::vector<std::u32string_view> tokens;
    for (size_t i = 0; i < text.size();) {
      const size_t j = CutPointFrom(text, i + kPieceChars);
      tokens.clear();
      segmenter.Cut(text.substr(i, j - i), &tokens);
      for (const std::u32string_view w : tokens) Add(w);
      i = j;
    }
  }

  std::vector<std::string> Top(size_t top_k) {
    for (Entry& e : entries_) e.weight *= data_.idf.Lookup(e.word) / total_;
    std::stable_sort(entries_.begin(), entries_.end(),
                     [](const Entry& a, const Entry& b) { return a.weight > b.weight; });
    if (top_k != 0 && entries_.size() > top_k) entries_.resize(top_k);
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (Entry& e : entries_) out.push_back(std::move(e.word));
    return out;
  }

 private:
  struct Entry {
    std::string word;
    double weight;  // first the count, then count * idf / total
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::u32string_view s) const { return std::hash<std::u32string_view>{}(s); }
  };
  const JiebaData& data_;
  std::vector<Entry> entries_;  // in first-insertion order, like the dict
  std::unordered_map<std::u32string, size_t, Hash, std::equal_to<>> index_;
  double total_ = 0;
};

Result<std::vector<std::string>> Jieba::ExtractTags(std::string_view text, size_t top_k) const {
  // Decoded a piece at a time: a long text is never held as UTF-32 (4 bytes a character)
  // whole. `pending` holds decoded characters not yet cut, at most a piece and a block.
  TagCounter counter(data_);
  std::u32string pending;
  size_t checked = 1;  // pending has no cut point below this one
  constexpr size_t kPieceBytes = 3 * kPieceChars;
  for (size_t at = 0; at < text.size();) {
    size_t end = std::min(text.size(), at + kPieceBytes);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    Status st = AppendDecodedUtf8(text.substr(at, end - at), "text", at, &pending);
    if (!st.ok()) return st;
    at = end;
    // Cut what can be cut: all of it at the end, else up to the last cut point.
    size_t cut = pending.size();
    if (at < text.size()) {
      cut = 0;
      for (size_t j = pending.size() - 1; j >= checked && j > 0; --j) {
        if (IsCutPoint(pending, j)) {
          cut = j;
          break;
        }
      }
    }
    counter.AddText(segmenter_, std::u32string_view(pending).substr(0, cut));
    pending.erase(0, cut);
    checked = pending.empty() ? 1 : pending.size();
  }
  return counter.Top(top_k);
}

std::vector<std::string> Jieba::ExtractTags(std::u32string_view text, size_t top_k) const {
  TagCounter counter(data_);
  counter.AddText(segmenter_, text);
  return counter.Top(top_k);
}

}  // namespace archivist::tags
