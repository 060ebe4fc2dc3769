// PgStore's halves of an archive copy (store/copy.h).
//
// DumpTo reads inside one REPEATABLE READ READ ONLY transaction (one snapshot for every
// table, writers undisturbed) by keyset pages — `WHERE id > last ORDER BY id LIMIT n` — so a
// bounded number of rows is in memory at a time (few for revisions, which hold the HTML).
//
// The sink holds one transaction: BEGIN, then LOCK TABLE … IN EXCLUSIVE MODE on every archive
// table (readers go on, writers wait until the copy ends), then the check that every table is
// empty, then per table one COPY … FROM STDIN in the text format, sent in chunks of about a
// MiB. COPY writes the ids given even into GENERATED ALWAYS identity columns; Commit moves each
// identity sequence past the largest id just before COMMIT. (setval is not rolled back with a
// failed transaction: a failed copy may leave the sequences advanced, which costs nothing but
// gaps in the internal ids.) Text holding a NUL byte is refused (PostgreSQL text cannot store
// it), naming the table, row and column.
#include <cstdint>
#include <string>

#include "store/copy.h"
#include "store/pg_conn.h"
#include "store/pg_store.h"

namespace archivist::store {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

// Rows per page: few where a row may be large (a revision's HTML; an image, up to
// [media] max_size each), so a page stays a few hundred MB at worst.
int BatchRows(const CopyTable& t) {
  if (t.name == "media") return 4;
  return t.name == "revisions" ? 32 : 1000;
}

std::string ColumnList(const CopyTable& t) {
  std::string out;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    out += (i ? ", " : "") + std::string(t.columns[i].name);
  }
  return out;
}

CopyValue ReadValue(const PgRows& rows, int row, int col, ColumnType type) {
  if (rows.IsNull(row, col)) return CopyValue();
  switch (type) {
    case ColumnType::kInteger: return rows.Int(row, col);
    case ColumnType::kText: return rows.Text(row, col);
    case ColumnType::kBlob: return CopyBlob{rows.Bytea(row, col)};
  }
  return CopyValue();
}

Status DumpTable(PgConn& db, const CopyTable& t, ArchiveSink& sink) {
  const std::string table(t.name);
  Result<PgRows> count = db.Query("SELECT count(*) FROM " + table);
  if (!count.ok()) return count.status().WithContext("counting the rows of " + table);
  ARCHIVIST_RETURN_IF_ERROR(sink.BeginTable(t, count->Int(0, 0)));
  const std::string page = "SELECT " + ColumnList(t) + " FROM " + table +
                           " WHERE id > $1 ORDER BY id LIMIT " + std::to_string(BatchRows(t));
  int64_t last = INT64_MIN;
  for (;;) {
    Result<PgRows> rows = db.Query(page, {last});
    if (!rows.ok()) return rows.status().WithContext("reading " + table);
    for (int r = 0; r < rows->size(); ++r) {
      CopyRow row;
      row.reserve(t.columns.size());
      for (size_t c = 0; c < t.columns.size(); ++c) {
        row.push_back(ReadValue(*rows, r, static_cast<int>(c), t.columns[c].type));
      }
      ARCHIVIST_RETURN_IF_ERROR(sink.Write(row));
      last = rows->Int(r, 0);
    }
    if (rows->size() < BatchRows(t)) break;
  }
  return sink.EndTable();
}

// COPY's text format: backslash, newline, carriage return and tab escaped; NULL is \N.
void AppendText(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
}

// bytea's hex input form, "\x0a1b…", with its backslash escaped for COPY.
void AppendBytes(std::string& out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\\\x";
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
}

class PgSink final : public ArchiveSink {
 public:
  PgSink(PgConn& db, PgStore::FaultHook fault) : db_(db), fault_(std::move(fault)) {}
  ~PgSink() override {
    if (in_copy_) db_.CopyAbort();
    if (open_) (void)db_.Exec("ROLLBACK", "abandoning the copy");
  }

  // Locks the archive's tables against writers, then refuses them unless all are empty.
  Status Start() {
    ARCHIVIST_RETURN_IF_ERROR(db_.Exec("BEGIN", "starting the copy"));
    open_ = true;
    std::string tables;
    for (const CopyTable& t : CopiedTables()) tables += (tables.empty() ? "" : ", ") + std::string(t.name);
    ARCHIVIST_RETURN_IF_ERROR(
        db_.Exec("LOCK TABLE " + tables + " IN EXCLUSIVE MODE", "locking the archive"));
    for (const CopyTable& t : CopiedTables()) {
      Result<PgRows> any = db_.Query("SELECT EXISTS (SELECT 1 FROM " + std::string(t.name) + ")");
      if (!any.ok()) return any.status().WithContext("checking the archive is empty");
      if (any->Int(0, 0) == 0) continue;
      Result<PgRows> threads = db_.Query("SELECT count(*) FROM threads");
      return NotEmptyError(db_.name(), threads.ok() ? threads->Int(0, 0) : 0, t.name);
    }
    return Status::Ok();
  }

  Status BeginTable(const CopyTable& t, int64_t) override {
    table_ = &t;
    ARCHIVIST_RETURN_IF_ERROR(db_.CopyBegin("COPY " + std::string(t.name) + " (" +
                                            ColumnList(t) + ") FROM STDIN"));
    in_copy_ = true;
    return Status::Ok();
  }

  Status Write(const CopyRow& row) override {
    if (fault_) ARCHIVIST_RETURN_IF_ERROR(fault_("copy row"));
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) buffer_ += '\t';
      if (const auto* n = std::get_if<int64_t>(&row[i])) {
        buffer_ += std::to_string(*n);
      } else if (const auto* s = std::get_if<std::string>(&row[i])) {
        if (s->find('\0') != std::string::npos) return NulError(row, i);
        AppendText(buffer_, *s);
      } else if (const auto* b = std::get_if<CopyBlob>(&row[i])) {
        AppendBytes(buffer_, b->bytes);
      } else {
        buffer_ += "\\N";
      }
    }
    buffer_ += '\n';
    return buffer_.size() >= kFlushBytes ? Flush() : Status::Ok();
  }

  Status EndTable() override {
    ARCHIVIST_RETURN_IF_ERROR(Flush());
    in_copy_ = false;
    return db_.CopyEnd().WithContext("copying " + std::string(table_->name));
  }

  Status Commit() override {
    if (fault_) ARCHIVIST_RETURN_IF_ERROR(fault_("commit"));
    for (const CopyTable& t : CopiedTables()) {
      const std::string name(t.name);
      ARCHIVIST_RETURN_IF_ERROR(db_.Exec(
          "SELECT setval(pg_get_serial_sequence('" + name + "', 'id'), max(id)) FROM " + name +
              " HAVING max(id) IS NOT NULL",
          "continuing the ids of " + name));
    }
    ARCHIVIST_RETURN_IF_ERROR(db_.Exec("COMMIT", "committing the copy"));
    open_ = false;
    return Status::Ok();
  }

 private:
  Status Flush() {
    if (buffer_.empty()) return Status::Ok();
    Status st = db_.CopyData(buffer_);
    buffer_.clear();
    return st;
  }

  Status NulError(const CopyRow& row, size_t column) const {
    const int64_t* id = std::get_if<int64_t>(&row[0]);
    return Status::InvalidArgument(
        std::string(table_->name) + " row " + (id ? std::to_string(*id) : "?") + ": column " +
        std::string(table_->columns[column].name) +
        " holds a NUL byte, which PostgreSQL text cannot store; nothing was written");
  }

  PgConn& db_;
  PgStore::FaultHook fault_;
  const CopyTable* table_ = nullptr;
  std::string buffer_;
  bool open_ = false;
  bool in_copy_ = false;
};

}  // namespace

Status PgStore::DumpTo(ArchiveSink& sink) {
  ARCHIVIST_RETURN_IF_ERROR(db_->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                                      "starting to read the archive for a copy"));
  Status st = Status::Ok();
  for (const CopyTable& t : CopiedTables()) {
    st = DumpTable(*db_, t, sink);
    if (!st.ok()) break;
  }
  (void)db_->Exec("ROLLBACK", "ending the read of the archive");
  return st;
}

Result<std::unique_ptr<ArchiveSink>> PgStore::BeginLoad() {
  auto sink = std::make_unique<PgSink>(*db_, fault_hook_);
  ARCHIVIST_RETURN_IF_ERROR(sink->Start());
  return std::unique_ptr<ArchiveSink>(std::move(sink));
}

}  // namespace archivist::store
