// Reading jieba's data files the way jieba 0.42.1 reads them.
//
// dict.txt (Tokenizer.gen_pfdict): the file is iterated in binary mode, so lines end at b'\n';
// each line is bytes.strip()-ped (ASCII white space), decoded as UTF-8, split on ' ', and the
// first two fields are the word and int(freq). Python raises on a line with fewer than two
// fields or a non-integer frequency; so do we ("invalid dictionary entry in PATH at line N").
// We accept the integers jieba's file uses (ASCII digits, optional '+'); Python's int() would
// also take '_' separators and a '-' sign (which then fails in log()); we reject those.
//
// idf.txt (IDFLoader.set_new_path): decoded as UTF-8, split with str.splitlines(), each line
// str.strip()-ped and split on ' ' into exactly two fields, word and float(idf).
//
// prob_*.py and tfidf.py are Python source; their literals are read by python_literal.cc.
#include "tags/jieba_data.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "tags/python_literal.h"
#include "tags/utf8.h"

namespace archivist::tags {

namespace {

constexpr char kPackageHint[] =
    "; this file belongs to the Debian package python3-jieba (apt-get install python3-jieba), "
    "or point --jieba-dir at a jieba 0.42.1 package directory";

Status BadLine(const std::string& what, const std::string& path, size_t line) {
  return Status::InvalidArgument("invalid " + what + " entry in " + path + " at line " +
                                 std::to_string(line));
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view AsciiStrip(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool ParseUnsigned(std::string_view s, uint64_t* out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool ParseDouble(std::string_view s, double* out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Python's str.splitlines(): the lines without their terminators; no trailing empty line.
std::vector<std::u32string_view> SplitLines(std::u32string_view text) {
  std::vector<std::u32string_view> lines;
  size_t start = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsPythonLineBreak(text[i])) {
      ++i;
      continue;
    }
    lines.push_back(text.substr(start, i - start));
    i += (text[i] == U'\r' && i + 1 < text.size() && text[i + 1] == U'\n') ? 2 : 1;
    start = i;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

// The state letter of a prob_*.py key ('B', 'M', 'E' or 'S') as an HmmState, or -1.
int StateOf(const PyValue& key) {
  if (key.kind != PyValue::Kind::kString || key.str.size() != 1) return -1;
  switch (key.str[0]) {
    case U'B': return kB;
    case U'E': return kE;
    case U'M': return kM;
    case U'S': return kS;
    default: return -1;
  }
}

Result<PyValue> ParsePyFile(std::string_view bytes, const std::string& path) {
  Result<std::u32string> text = DecodeUtf8(bytes, path);
  if (!text.ok()) return text.status();
  return ParsePyAssignment(*text, "P", "", path);
}

// A {state: value} dict with all four states; fills by[state] with the values.
Status StateDict(const PyValue& v, const std::string& path,
                 std::array<const PyValue*, kHmmStates>* by) {
  by->fill(nullptr);
  if (v.kind != PyValue::Kind::kDict) return Status::InvalidArgument(path + ": P is not a dict");
  for (const auto& [key, value] : v.items) {
    const int s = StateOf(key);
    if (s < 0) return Status::InvalidArgument(path + ": key is not one of 'B', 'M', 'E', 'S'");
    (*by)[s] = &value;
  }
  for (const PyValue* p : *by) {
    if (p == nullptr) return Status::InvalidArgument(path + ": a state of BMES is missing");
  }
  return Status::Ok();
}

Status FillTrans(const PyValue& v, const std::string& path, HmmModel* m) {
  std::array<const PyValue*, kHmmStates> by;
  ARCHIVIST_RETURN_IF_ERROR(StateDict(v, path, &by));
  for (int from = 0; from < kHmmStates; ++from) {
    m->trans[from].fill(kMinFloat);  // trans_p[y0].get(y, MIN_FLOAT)
    if (by[from]->kind != PyValue::Kind::kDict) {
      return Status::InvalidArgument(path + ": a transition row is not a dict");
    }
    for (const auto& [key, value] : by[from]->items) {
      const int to = StateOf(key);
      if (to < 0 || value.kind != PyValue::Kind::kNumber) {
        return Status::InvalidArgument(path + ": bad transition entry");
      }
      m->trans[from][to] = value.number;
    }
  }
  return Status::Ok();
}

Status FillEmit(const PyValue& v, const std::string& path, HmmModel* m) {
  std::array<const PyValue*, kHmmStates> by;
  ARCHIVIST_RETURN_IF_ERROR(StateDict(v, path, &by));
  m->emit.assign(kHmmStates * HmmModel::kHanSpan, kMinFloat);  // emit_p[y].get(c, MIN_FLOAT)
  for (int s = 0; s < kHmmStates; ++s) {
    if (by[s]->kind != PyValue::Kind::kDict) {
      return Status::InvalidArgument(path + ": an emission row is not a dict");
    }
    for (const auto& [key, value] : by[s]->items) {
      if (key.kind != PyValue::Kind::kString || key.str.size() != 1 ||
          value.kind != PyValue::Kind::kNumber) {
        return Status::InvalidArgument(path + ": bad emission entry");
      }
      const char32_t c = key.str[0];
      if (c >= kHanFirst && c <= kHanLast) m->emit[s * HmmModel::kHanSpan + (c - kHanFirst)] = value.number;
    }
  }
  return Status::Ok();
}

}  // namespace

bool JiebaData::IsStopWord(std::string_view word) const {
  return std::binary_search(stop_words.begin(), stop_words.end(), word);
}

const std::vector<std::string>& JiebaSourceFiles() {
  static const std::vector<std::string> kFiles = {
      "dict.txt",           "analyse/idf.txt",        "finalseg/prob_start.py",
      "finalseg/prob_trans.py", "finalseg/prob_emit.py", "analyse/tfidf.py"};
  return kFiles;
}

Result<std::string> ReadJiebaFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound("cannot read jieba data file " + path + ": " +
                            std::strerror(errno) + kPackageHint);
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::IoError("error reading " + path);
  return std::move(buf).str();
}

Result<PrefixDict> ParseDictFile(std::string_view bytes, const std::string& path) {
  std::vector<std::pair<std::u32string, uint64_t>> entries;
  entries.reserve(bytes.size() / 14);
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t eol = bytes.find('\n', pos);
    if (eol == std::string_view::npos) eol = bytes.size() - 1;  // last line, no newline
    std::string_view line = AsciiStrip(bytes.substr(pos, eol + 1 - pos));
    pos = eol + 1;
    ++line_no;
    const size_t sp1 = line.find(' ');
    if (sp1 == std::string_view::npos) return BadLine("dictionary", path, line_no);
    const size_t sp2 = line.find(' ', sp1 + 1);
    const std::string_view freq_text = line.substr(sp1 + 1, sp2 == line.npos ? line.npos : sp2 - sp1 - 1);
    uint64_t freq = 0;
    if (!ParseUnsigned(freq_text, &freq)) return BadLine("dictionary", path, line_no);
    Result<std::u32string> word = DecodeUtf8(line.substr(0, sp1), path + " line " + std::to_string(line_no));
    if (!word.ok()) return word.status();
    if (word->empty()) return BadLine("dictionary", path, line_no);
    entries.emplace_back(std::move(word).value(), freq);
  }
  uint64_t total = 0;
  for (const auto& e : entries) {
    if (e.second > (uint64_t{1} << 52) || total > (uint64_t{1} << 52)) {
      return Status::InvalidArgument(path + ": frequencies too large");
    }
    total += e.second;
  }
  if (total == 0) return Status::InvalidArgument(path + ": no words with a frequency");
  return PrefixDict::Build(entries);
}

Result<IdfTable> ParseIdfFile(std::string_view bytes, const std::string& path) {
  Result<std::u32string> text = DecodeUtf8(bytes, path);
  if (!text.ok()) return text.status();
  std::vector<std::pair<std::string, double>> entries;
  size_t line_no = 0;
  for (const std::u32string_view raw : SplitLines(*text)) {
    ++line_no;
    const std::u32string_view line = PythonStrip(raw);
    const size_t sp = line.find(U' ');
    if (sp == line.npos || line.find(U' ', sp + 1) != line.npos) {
      return BadLine("IDF", path, line_no);
    }
    double idf = 0;
    if (!ParseDouble(EncodeUtf8(line.substr(sp + 1)), &idf)) return BadLine("IDF", path, line_no);
    entries.emplace_back(EncodeUtf8(line.substr(0, sp)), idf);
  }
  Result<IdfTable> table = IdfTable::Build(std::move(entries));
  if (!table.ok()) return table.status().WithContext(path);
  return table;
}

Result<HmmModel> ParseHmmFiles(std::string_view start, std::string_view trans,
                               std::string_view emit, const std::string& dir) {
  HmmModel m;
  const std::string start_path = dir + "/finalseg/prob_start.py";
  Result<PyValue> sv = ParsePyFile(start, start_path);
  if (!sv.ok()) return sv.status();
  std::array<const PyValue*, kHmmStates> by;
  ARCHIVIST_RETURN_IF_ERROR(StateDict(*sv, start_path, &by));
  for (int s = 0; s < kHmmStates; ++s) {
    if (by[s]->kind != PyValue::Kind::kNumber) {
      return Status::InvalidArgument(start_path + ": a start probability is not a number");
    }
    m.start[s] = by[s]->number;
  }
  const std::string trans_path = dir + "/finalseg/prob_trans.py";
  Result<PyValue> tv = ParsePyFile(trans, trans_path);
  if (!tv.ok()) return tv.status();
  ARCHIVIST_RETURN_IF_ERROR(FillTrans(*tv, trans_path, &m));
  const std::string emit_path = dir + "/finalseg/prob_emit.py";
  Result<PyValue> ev = ParsePyFile(emit, emit_path);
  if (!ev.ok()) return ev.status();
  ARCHIVIST_RETURN_IF_ERROR(FillEmit(*ev, emit_path, &m));
  return m;
}

Result<std::vector<std::string>> ParseStopWords(std::string_view tfidf_py,
                                                const std::string& path) {
  Result<std::u32string> text = DecodeUtf8(tfidf_py, path);
  if (!text.ok()) return text.status();
  Result<PyValue> v = ParsePyAssignment(*text, "STOP_WORDS", "set", path);
  if (!v.ok()) return v.status();
  if (v->kind != PyValue::Kind::kSequence) {
    return Status::InvalidArgument(path + ": STOP_WORDS is not set((...))");
  }
  std::vector<std::string> words;
  for (const PyValue& e : v->elements) {
    if (e.kind != PyValue::Kind::kString) {
      return Status::InvalidArgument(path + ": STOP_WORDS holds a non-string");
    }
    words.push_back(EncodeUtf8(e.str));
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

Result<JiebaData> LoadJiebaSources(const std::string& dir) {
  std::vector<std::string> contents;
  for (const std::string& file : JiebaSourceFiles()) {
    Result<std::string> bytes = ReadJiebaFile(dir + "/" + file);
    if (!bytes.ok()) return bytes.status();
    contents.push_back(std::move(bytes).value());
  }
  Result<PrefixDict> dict = ParseDictFile(contents[0], dir + "/dict.txt");
  if (!dict.ok()) return dict.status();
  Result<IdfTable> idf = ParseIdfFile(contents[1], dir + "/analyse/idf.txt");
  if (!idf.ok()) return idf.status();
  Result<HmmModel> hmm = ParseHmmFiles(contents[2], contents[3], contents[4], dir);
  if (!hmm.ok()) return hmm.status();
  Result<std::vector<std::string>> stop = ParseStopWords(contents[5], dir + "/analyse/tfidf.py");
  if (!stop.ok()) return stop.status();
  return JiebaData{std::move(dict).value(), std::move(idf).value(), std::move(hmm).value(),
                   std::move(stop).value()};
}

}  // namespace archivist::tags
