// Whole-file reads and writes for tests: the bytes as they are, no error handling beyond an
// empty result (a test compares the result and fails there).
#ifndef ARCHIVIST_TESTS_SUPPORT_FILES_H_
#define ARCHIVIST_TESTS_SUPPORT_FILES_H_

#include <string>

namespace archivist::test_support {

std::string ReadFile(const std::string& path);  // "" when unreadable
void WriteFile(const std::string& path, const std::string& bytes);

}  // namespace archivist::test_support

#endif  // ARCHIVIST_TESTS_SUPPORT_FILES_H_
