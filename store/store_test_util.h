// Helpers for store/ tests: temporary directories, raw file access, change-set builders.
#ifndef ARCHIVIST_STORE_STORE_TEST_UTIL_H_
#define ARCHIVIST_STORE_STORE_TEST_UTIL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "model/change.h"
#include "store/store.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir.h"

namespace archivist::store::testing {

// A fresh directory, removed with everything in it (tests/support/temp_dir.h).
using TempDir = test_support::TempDir;

inline std::string ReadBytes(const std::string& path) { return test_support::ReadFile(path); }
inline void WriteBytes(const std::string& path, const std::string& bytes) {
  test_support::WriteFile(path, bytes);
}
bool Exists(const std::string& path);

// Runs `sql` on the file through a separate raw connection; returns every row as
// "col|col|…" lines (NULL as "∅"). Fails the current test on an SQL error.
std::string Query(const std::string& db_path, const std::string& sql);
// Every row of every archive table, for all-or-nothing comparisons.
std::string DumpArchive(const std::string& db_path);

// A revision for `answer` with html "<p>{text}</p>".
model::NewRevision Revision(model::AnswerId answer, int number, const std::string& text,
                            int64_t updated_time = 100);

// A successful refresh record of `thread` at `seconds` (Unix time) carrying `changes`.
RefreshRecord Record(model::QuestionId thread, int64_t seconds, model::ChangeSet changes,
                     model::Outcome outcome = model::Outcome::kComplete);

}  // namespace archivist::store::testing

#endif  // ARCHIVIST_STORE_STORE_TEST_UTIL_H_
