#include "store/sqlite_db.h"

#include <unistd.h>

#include <cerrno>

#include "base/file_access.h"

namespace archivist::store {

Status SqliteError(sqlite3* db, int rc, const std::string& path, std::string_view context) {
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string where = std::string(context) + " (" + path + "): ";
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return Status::IoError(where + "the disk is full; nothing of this operation was stored");
    case SQLITE_READONLY:
      return Status::IoError(where + "the archive is read-only (" + detail + ")");
    case SQLITE_CANTOPEN: {
      // Say why when it is a permission (the service's user, a file kept by root).
      const int err = ::access(path.c_str(), R_OK | W_OK) != 0 ? errno : 0;
      return Status::IoError(where + "cannot open the file (" + detail + ")" +
                             (err == EACCES || err == EPERM ? ": " + UnreadableReason(path, err)
                                                            : std::string()));
    }
    case SQLITE_NOTADB:
      return Status::Corruption(where + "not an archivist database (not an SQLite file; if it " +
                                "was an archive, it is damaged: " + DamageAdvice(path) + ")");
    case SQLITE_CORRUPT:
      return Status::Corruption(where + "the archive is damaged (" + detail + "). " +
                                DamageAdvice(path));
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

std::string DamageAdvice(const std::string& path) {
  return "Stop every archivist process using " + path + ", keep a copy of it as it is, then "
         "restore the latest backup (archivist backup) or salvage what is readable with "
         "`sqlite3 " + path + " .recover | sqlite3 recovered.db` (docs/operations.md)";
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

Status Db::QuickCheck(const std::string& archive) {
  constexpr int kProblems = 5;   // SQLite stops after this many
  constexpr size_t kShown = 600;  // bytes of them in the message
  Result<Stmt> q = Prepare("PRAGMA quick_check(" + std::to_string(kProblems) + ")");
  if (!q.ok()) return q.status().WithContext("checking the archive");
  std::string problems;
  for (;;) {
    Result<bool> row = q->Step();
    if (!row.ok() && row.status().code() == Status::Code::kCorruption) {
      problems = sqlite3_errmsg(db_.get());  // too damaged to list problems
      break;
    }
    if (!row.ok()) return row.status().WithContext("checking the archive");
    if (!*row) break;
    // A row may hold several lines ("*** in database main ***\nPage 31: …"): one line each.
    const std::string text = q->Text(0);
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(pos, end - pos);
      pos = end + 1;
      if (line.empty() || line == "ok" || line.rfind("*** in database", 0) == 0) continue;
      problems += (problems.empty() ? "" : "; ") + line;
    }
  }
  if (problems.empty()) return Status::Ok();
  if (problems.size() > kShown) problems = problems.substr(0, kShown) + "…";
  const std::string& name = archive.empty() ? path_ : archive;
  return Status::Corruption("the archive " + name + " is damaged (PRAGMA quick_check: " +
                            problems + "). " + DamageAdvice(name));
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
