// Helpers shared by the tags tests: the loaded data (once per test binary), paths of the
// source tree, and running python3-jieba.
#ifndef ARCHIVIST_TAGS_TEST_SUPPORT_H_
#define ARCHIVIST_TAGS_TEST_SUPPORT_H_

#include <string>
#include <vector>

#include "tags/jieba.h"

namespace archivist::tags::testing {

// Jieba loaded from Debian's python3-jieba files, without a cache; aborts the test binary
// with the error if the data cannot be loaded.
const Jieba& SharedJieba();

std::string SourcePath(const std::string& relative);  // <source dir>/<relative>
std::string ReadAll(const std::string& path);         // "" if unreadable

std::string Escaped(const std::string& utf8);         // printable form for failure messages

}  // namespace archivist::tags::testing

#endif  // ARCHIVIST_TAGS_TEST_SUPPORT_H_
