// copy: a whole archive copied from one Store into another, whatever their backends
// (`archivist copy-archive`: SQLite → PostgreSQL and back, or between two of a kind).
//
// The copy is by table rows, not through the refresh path: every row of every archive table
// (CopiedTables) is read from the source in id order and written with its own id into the
// destination, so every cross-reference (a revision's fetch, an event's answer and revision)
// and the order of events that share a time (`(at, id)`) come out exactly as they were; times
// and source ids are the same 64-bit integers, text and compressed HTML the same bytes.
//
// Roles: Store::DumpTo (the source) reads inside one read transaction — a consistent snapshot
// even while a daemon writes — and hands rows to an ArchiveSink a bounded batch at a time;
// Store::BeginLoad (the destination) returns the sink, which holds ONE write transaction from
// its creation to Commit: a failure, or the process killed, before Commit leaves the
// destination as empty as it was. BeginLoad refuses an archive that holds any row.
//
// Ownership: the sink belongs to the destination's connection and must not outlive its Store.
// Thread-safety: as the Stores (one thread each).
#ifndef ARCHIVIST_STORE_COPY_H_
#define ARCHIVIST_STORE_COPY_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"
#include "store/store.h"

namespace archivist::store {

enum class ColumnType { kInteger, kText, kBlob };

struct CopyColumn {
  std::string_view name;
  ColumnType type;
};

struct CopyTable {
  std::string_view name;
  std::span<const CopyColumn> columns;  // the first is the table's `id`
};

// Every table of the archive, parents before children (the order the foreign keys need), with
// every column of each. A table or column added to the schema must be added here
// (copy_test.cc compares this list with both backends' schemas).
std::span<const CopyTable> CopiedTables();
// What is deliberately not copied, as "table.column" or "table.*": the coordination of the
// daemons working on a PostgreSQL archive (threads' leases, daemon records, shared marks such
// as the last hot-list poll). It belongs to the running daemons of one archive, not to its
// history; a copy starts with no lease held and polls the hot list at its first chance.
std::span<const std::string_view> NotCopied();

// One value: NULL, an integer, text (UTF-8 bytes as stored), or raw bytes (a BLOB / bytea).
struct CopyBlob {
  std::string bytes;
};
using CopyValue = std::variant<std::monostate, int64_t, std::string, CopyBlob>;
using CopyRow = std::vector<CopyValue>;  // in the order of the table's columns

class ArchiveSink {
 public:
  // Destroyed without a successful Commit, it rolls everything back.
  virtual ~ArchiveSink() = default;
  // The rows of `table` follow (`rows` of them, as the source counted in its snapshot).
  virtual Status BeginTable(const CopyTable& table, int64_t rows) = 0;
  // One row; each value's type must be its column's (or NULL). kInvalidArgument for a value
  // the destination cannot store (text with a NUL byte in PostgreSQL), naming table and row.
  virtual Status Write(const CopyRow& row) = 0;
  virtual Status EndTable() = 0;
  // Makes the copy durable; the destination then continues where the source's ids ended.
  virtual Status Commit() = 0;
};

// For the backends: the refusal of a destination that holds rows ("NAME is not empty: …").
Status NotEmptyError(std::string_view archive, int64_t threads, std::string_view table);

// Called as rows are copied (every few hundred rows and at the end of each table).
using CopyProgress = std::function<void(std::string_view table, int64_t done, int64_t total)>;

// Rows copied per table, in CopiedTables order.
struct CopyCounts {
  std::vector<std::pair<std::string, int64_t>> tables;
};

// Copies everything in `from` into `to`, which must hold no row (kInvalidArgument
// "… is not empty …" otherwise, before anything is read or written). One transaction on `to`.
Result<CopyCounts> CopyArchive(Store& from, Store& to, const CopyProgress& progress = {});

}  // namespace archivist::store

#endif  // ARCHIVIST_STORE_COPY_H_
