// Test helpers of normalize/: fixture loading and readable diffs on mismatch.
#ifndef ARCHIVIST_NORMALIZE_TEST_UTIL_H_
#define ARCHIVIST_NORMALIZE_TEST_UTIL_H_

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace archivist::normalize::testing {

inline std::filesystem::path DataDir() { return ARCHIVIST_TEST_DATA; }

inline std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Makes invisible characters visible: "\n" → "⏎\n", trailing spaces as "·", tabs as "→".
inline std::string Visible(const std::string& line) {
  std::string out;
  size_t end = line.size();
  while (end > 0 && line[end - 1] == ' ') --end;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\t') out += "→";
    else if (i >= end) out += "·";
    else out += line[i];
  }
  return out;
}

inline std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '\n') {
      lines.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return lines;
}

// A short report of where two texts differ: the first differing line with two lines of
// context on each side, as "-expected / +actual".
inline std::string DiffReport(const std::string& expected, const std::string& actual) {
  if (expected == actual) return "";
  const auto e = Lines(expected), a = Lines(actual);
  size_t k = 0;
  while (k < e.size() && k < a.size() && e[k] == a[k]) ++k;
  std::ostringstream out;
  out << "texts differ (expected " << expected.size() << " bytes, " << e.size()
      << " lines; actual " << actual.size() << " bytes, " << a.size()
      << " lines); first difference at line " << (k + 1) << ":\n";
  const size_t from = k >= 2 ? k - 2 : 0;
  for (size_t i = from; i < k; ++i) out << "   " << Visible(e[i]) << "\n";
  for (size_t i = k; i < k + 3 && i < e.size(); ++i) out << "  -" << Visible(e[i]) << "\n";
  for (size_t i = k; i < k + 3 && i < a.size(); ++i) out << "  +" << Visible(a[i]) << "\n";
  return out.str();
}

}  // namespace archivist::normalize::testing

#define EXPECT_SAME_TEXT(expected, actual, label)                                      \
  do {                                                                                 \
    const std::string _e = (expected), _a = (actual);                                  \
    EXPECT_TRUE(_e == _a) << (label) << ": "                                           \
                          << ::archivist::normalize::testing::DiffReport(_e, _a);      \
  } while (0)

#endif  // ARCHIVIST_NORMALIZE_TEST_UTIL_H_
