// TestArchive: one fresh, empty archive of one backend for one test, with what the store
// tests need beside the Store itself — raw SQL on the archive (to count rows, compare whole
// contents) and fault injection. Backends() lists every backend, for value-parameterized
// store tests: SQLite (a file in a fresh folder) and PostgreSQL (a fresh database on a server
// this test binary starts once, tests/support/pg_server.h). Tests only.
#ifndef ARCHIVIST_STORE_TEST_ARCHIVE_H_
#define ARCHIVIST_STORE_TEST_ARCHIVE_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace archivist::store::testing {

class TestArchive {
 public:
  virtual ~TestArchive() = default;
  virtual Store& store() = 0;
  virtual void SetFaultHook(std::function<Status(std::string_view operation)> hook) = 0;
  // Runs `sql` (statements separated by ';', no ';' inside them) over a connection of its
  // own; every row of every statement as "col|col|…" lines (NULL as "∅"). Fails the
  // current test on an error.
  virtual std::string Query(const std::string& sql) = 0;
  // A second connection to the same archive, as another process would open it.
  virtual Result<std::unique_ptr<Store>> OpenAnother() = 0;
  // Every row of every archive table, for all-or-nothing comparisons.
  std::string Dump();
};

// An archive on the SQLite file `path` (created when missing).
Result<std::unique_ptr<TestArchive>> OpenSqliteArchive(const std::string& path);

// The URI of a fresh, empty database on the test binary's PostgreSQL server (started on
// first use, stopped at exit); kIoError when the server cannot start.
Result<std::string> FreshPgDatabase();

struct Backend {
  std::string name;  // "Sqlite", "Postgres": the suffix of the test names
  std::function<Result<std::unique_ptr<TestArchive>>()> open;
};
std::vector<Backend> Backends();
// How GoogleTest prints a Backend in failure messages: its name.
inline void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }
std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

}  // namespace archivist::store::testing

#endif  // ARCHIVIST_STORE_TEST_ARCHIVE_H_
