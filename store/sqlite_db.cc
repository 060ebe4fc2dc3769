#include "store/sqlite_db.h"

namespace archivist::store {

Status SqliteError(sqlite3* db, int rc, const std::string& path, std::string_view context) {
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string where = std::string(context) + " (" + path + "): ";
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return Status::IoError(where + "the disk is full; nothing of this operation was stored");
    case SQLITE_READONLY:
      return Status::IoError(where + "the archive is read-only (" + detail + ")");
    case SQLITE_CANTOPEN:
      return Status::IoError(where + "cannot open the file (" + detail + ")");
    case SQLITE_NOTADB:
      return Status::Corruption(where + "not an archivist database (not an SQLite file)");
    case SQLITE_CORRUPT:
      return Status::Corruption(where + "the database file is damaged (" + detail + ")");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(where + "the archive is busy (another process is writing)");
    case SQLITE_CONSTRAINT:
      return Status::Internal(where + "an archive invariant was violated: " + detail);
    case SQLITE_IOERR:
      return Status::IoError(where + "I/O error (" + detail + ")");
    default:
      return Status::IoError(where + detail);
  }
}

Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_.get(), i, v);
  return *this;
}

Stmt& Stmt::Bind(int i, std::string_view text) {
  sqlite3_bind_text64(stmt_.get(), i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Stmt& Stmt::BindBlob(int i, std::string_view bytes) {
  sqlite3_bind_blob64(stmt_.get(), i, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(stmt_.get(), i);
  return *this;
}

Result<bool> Stmt::Step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc, *path_, sqlite3_sql(stmt_.get()));
}

Status Stmt::Run() {
  for (;;) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

Status Stmt::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  return Status::Ok();
}

std::string Stmt::Text(int col) const {
  const auto* p = sqlite3_column_text(stmt_.get(), col);
  return p == nullptr ? std::string()
                      : std::string(reinterpret_cast<const char*>(p),
                                    static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), col)));
}

std::string Stmt::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_.get(), col);
  return p == nullptr ? std::string()
                      : std::string(static_cast<const char*>(p),
                                    static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), col)));
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, bool create, bool read_only) {
  sqlite3* raw = nullptr;
  const int flags = read_only ? SQLITE_OPEN_READONLY
                              : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status st = SqliteError(raw, rc, path, "opening the archive");
    sqlite3_close_v2(raw);
    return st;
  }
  sqlite3_extended_result_codes(raw, 1);
  return std::unique_ptr<Db>(new Db(raw, path));
}

Status Db::Exec(std::string_view sql, std::string_view context) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_.get(), std::string(sql).c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return SqliteError(db_.get(), rc, path_, context);
  return Status::Ok();
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &stmt,
                                    nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return SqliteError(db_.get(), rc, path_, "preparing " + std::string(sql.substr(0, 60)));
  }
  return Stmt(stmt, db_.get(), &path_);
}

Result<int64_t> Db::QueryInt(std::string_view sql, std::string_view context) {
  Result<Stmt> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status().WithContext(context);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status().WithContext(context);
  if (!*row) return Status::Internal(std::string(context) + ": no row from " + std::string(sql));
  return stmt->Int(0);
}

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Status Transaction::Begin() {
  ARCHIVIST_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE", "starting a transaction"));
  open_ = true;
  return Status::Ok();
}

Status Transaction::Commit() {
  ARCHIVIST_RETURN_IF_ERROR(db_.Exec("COMMIT", "committing"));
  open_ = false;
  return Status::Ok();
}

}  // namespace archivist::store
