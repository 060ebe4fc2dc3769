// SqliteStore's halves of an archive copy (store/copy.h).
//
// DumpTo reads every table inside one deferred read transaction: in WAL mode that is a
// snapshot, so a daemon may keep committing meanwhile and the copy still sees one moment. Each
// table is one statement stepped row by row (SQLite streams; only the current row is held).
// Every value is checked against its column's type: a text in an integer column (possible in
// a damaged or hand-edited file, SQLite being loosely typed) is refused, not converted.
//
// The sink is one BEGIN IMMEDIATE transaction from BeginLoad to Commit: the write lock is
// taken first, then every table is checked empty, so a writer cannot slip in between. Rows
// are inserted with their ids; an INTEGER PRIMARY KEY then continues after the largest.
#include <optional>
#include <string>

#include "store/copy.h"
#include "store/sqlite_db.h"
#include "store/sqlite_store.h"

namespace archivist::store {
namespace {

std::string_view TypeName(int type) {
  switch (type) {
    case SQLITE_INTEGER: return "an integer";
    case SQLITE_FLOAT: return "a real number";
    case SQLITE_TEXT: return "text";
    case SQLITE_BLOB: return "a blob";
    default: return "NULL";
  }
}

int ExpectedType(ColumnType t) {
  switch (t) {
    case ColumnType::kInteger: return SQLITE_INTEGER;
    case ColumnType::kText: return SQLITE_TEXT;
    case ColumnType::kBlob: return SQLITE_BLOB;
  }
  return SQLITE_NULL;
}

std::string SelectSql(const CopyTable& t) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < t.columns.size(); ++i) {
    sql += (i ? ", " : "") + std::string(t.columns[i].name);
  }
  return sql + " FROM " + std::string(t.name) + " ORDER BY id";
}

Result<CopyRow> ReadRow(const Stmt& q, const CopyTable& t, const std::string& path) {
  CopyRow row;
  row.reserve(t.columns.size());
  for (size_t i = 0; i < t.columns.size(); ++i) {
    const int col = static_cast<int>(i);
    const int type = q.Type(col);
    if (type == SQLITE_NULL) {
      row.emplace_back();
    } else if (type != ExpectedType(t.columns[i].type)) {
      return Status::Corruption(path + ": " + std::string(t.name) + " row " +
                                std::to_string(q.Int(0)) + ": column " +
                                std::string(t.columns[i].name) + " holds " +
                                std::string(TypeName(type)) + ", not " +
                                std::string(TypeName(ExpectedType(t.columns[i].type))));
    } else if (type == SQLITE_INTEGER) {
      row.emplace_back(q.Int(col));
    } else if (type == SQLITE_TEXT) {
      row.emplace_back(q.Text(col));
    } else {
      row.emplace_back(CopyBlob{q.Blob(col)});
    }
  }
  return row;
}

Status DumpTable(Db& db, const CopyTable& t, ArchiveSink& sink) {
  Result<int64_t> rows = db.QueryInt("SELECT count(*) FROM " + std::string(t.name),
                                     "counting the rows to copy");
  if (!rows.ok()) return rows.status();
  ARCHIVIST_RETURN_IF_ERROR(sink.BeginTable(t, *rows));
  Result<Stmt> q = db.Prepare(SelectSql(t));
  if (!q.ok()) return q.status();
  for (;;) {
    Result<bool> more = q->Step();
    if (!more.ok()) return more.status();
    if (!*more) break;
    Result<CopyRow> row = ReadRow(*q, t, db.path());
    if (!row.ok()) return row.status();
    ARCHIVIST_RETURN_IF_ERROR(sink.Write(*row));
  }
  return sink.EndTable();
}

class SqliteSink final : public ArchiveSink {
 public:
  SqliteSink(Db& db, SqliteStore::FaultHook fault) : db_(db), txn_(db), fault_(std::move(fault)) {}

  // Takes the write lock, then refuses an archive with any row.
  Status Start() {
    ARCHIVIST_RETURN_IF_ERROR(txn_.Begin());
    for (const CopyTable& t : CopiedTables()) {
      Result<int64_t> any = db_.QueryInt(
          "SELECT EXISTS (SELECT 1 FROM " + std::string(t.name) + ")", "checking it is empty");
      if (!any.ok()) return any.status();
      if (*any == 0) continue;
      Result<int64_t> threads = db_.QueryInt("SELECT count(*) FROM threads", "counting threads");
      return NotEmptyError(db_.path(), threads.ok() ? *threads : 0, t.name);
    }
    return Status::Ok();
  }

  Status BeginTable(const CopyTable& t, int64_t) override {
    std::string names, marks;
    for (size_t i = 0; i < t.columns.size(); ++i) {
      names += (i ? ", " : "") + std::string(t.columns[i].name);
      marks += (i ? ", ?" : "?") + std::to_string(i + 1);
    }
    Result<Stmt> ins = db_.Prepare("INSERT INTO " + std::string(t.name) + " (" + names +
                                   ") VALUES (" + marks + ")");
    if (!ins.ok()) return ins.status();
    insert_.emplace(std::move(*ins));
    return Status::Ok();
  }

  Status Write(const CopyRow& row) override {
    if (fault_) ARCHIVIST_RETURN_IF_ERROR(fault_("copy row"));
    for (size_t i = 0; i < row.size(); ++i) {
      const int at = static_cast<int>(i + 1);
      if (const auto* n = std::get_if<int64_t>(&row[i])) {
        insert_->Bind(at, *n);
      } else if (const auto* s = std::get_if<std::string>(&row[i])) {
        insert_->Bind(at, std::string_view(*s));
      } else if (const auto* b = std::get_if<CopyBlob>(&row[i])) {
        insert_->BindBlob(at, b->bytes);
      } else {
        insert_->BindNull(at);
      }
    }
    Status st = insert_->Run();
    (void)insert_->Reset();
    return st;
  }

  Status EndTable() override {
    insert_.reset();
    return Status::Ok();
  }

  Status Commit() override {
    if (fault_) ARCHIVIST_RETURN_IF_ERROR(fault_("commit"));
    return txn_.Commit();
  }

 private:
  Db& db_;
  Transaction txn_;
  SqliteStore::FaultHook fault_;
  std::optional<Stmt> insert_;
};

}  // namespace

Status SqliteStore::DumpTo(ArchiveSink& sink) {
  ARCHIVIST_RETURN_IF_ERROR(db_->Exec("BEGIN", "starting to read the archive for a copy"));
  Status st = Status::Ok();
  for (const CopyTable& t : CopiedTables()) {
    st = DumpTable(*db_, t, sink);
    if (!st.ok()) break;
  }
  (void)db_->Exec("ROLLBACK", "ending the read of the archive");
  return st;
}

Result<std::unique_ptr<ArchiveSink>> SqliteStore::BeginLoad() {
  auto sink = std::make_unique<SqliteSink>(*db_, fault_hook_);
  ARCHIVIST_RETURN_IF_ERROR(sink->Start());
  return std::unique_ptr<ArchiveSink>(std::move(sink));
}

}  // namespace archivist::store
