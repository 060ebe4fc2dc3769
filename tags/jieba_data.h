// JiebaData: everything the port needs from jieba 0.42.1's data files, and how to read it.
//
// The files, relative to the jieba package directory (Debian's python3-jieba installs it at
// /usr/lib/python3/dist-packages/jieba):
//   dict.txt                 "word freq [tag]" lines → the prefix dictionary (gen_pfdict)
//   analyse/idf.txt          "word idf" lines → the IDF table (IDFLoader)
//   finalseg/prob_start.py   P={state: logprob} → HMM start
//   finalseg/prob_trans.py   P={state: {state: logprob}} → HMM transitions
//   finalseg/prob_emit.py    P={state: {char: logprob}} → HMM emissions
//   analyse/tfidf.py         KeywordExtractor.STOP_WORDS = set((...)) → the stop words
// Each file is parsed as jieba parses it (see jieba_data.cc); a malformed line is an error
// naming the file and line. A missing file is an error naming the path and the package.
//
// Thread-safety: LoadJiebaSources is a pure function of the files; JiebaData is a value.
#ifndef ARCHIVIST_TAGS_JIEBA_DATA_H_
#define ARCHIVIST_TAGS_JIEBA_DATA_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tags/hmm.h"
#include "tags/idf_table.h"
#include "tags/prefix_dict.h"

namespace archivist::tags {

struct JiebaData {
  PrefixDict dict;
  IdfTable idf;
  HmmModel hmm;
  std::vector<std::string> stop_words;  // sorted, distinct, UTF-8

  bool IsStopWord(std::string_view word) const;
};

// The data files, relative to the jieba directory, in a fixed order.
const std::vector<std::string>& JiebaSourceFiles();

// Reads and parses all data files under `dir`.
Result<JiebaData> LoadJiebaSources(const std::string& dir);

// Parsers for one file's bytes each; `path` names the file in errors. Exposed for tests.
Result<PrefixDict> ParseDictFile(std::string_view bytes, const std::string& path);
Result<IdfTable> ParseIdfFile(std::string_view bytes, const std::string& path);
Result<HmmModel> ParseHmmFiles(std::string_view start, std::string_view trans,
                               std::string_view emit, const std::string& dir);
Result<std::vector<std::string>> ParseStopWords(std::string_view tfidf_py,
                                                const std::string& path);

// The whole file at `path`, or an error naming it (and the package python3-jieba).
Result<std::string> ReadJiebaFile(const std::string& path);

}  // namespace archivist::tags

#endif  // ARCHIVIST_TAGS_JIEBA_DATA_H_
