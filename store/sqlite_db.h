// sqlite_db: RAII owners for sqlite3 handles and the translation of sqlite result codes to
// Status (docs/development.md "How the code is written"). Internal to store/; nothing outside store/ includes it.
//
// Thread-safety: a Db and its Stmts belong to one thread.
#ifndef ARCHIVIST_STORE_SQLITE_DB_H_
#define ARCHIVIST_STORE_SQLITE_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace archivist::store {

// Translates a failed sqlite call into a Status whose message says what was being done
// (`context`), on which file, and what went wrong in words a person can act on. Damage
// (SQLITE_CORRUPT, SQLITE_NOTADB) is kCorruption and says what to do (DamageAdvice).
Status SqliteError(sqlite3* db, int rc, const std::string& path, std::string_view context);

// What to do about a damaged archive at `path`: stop its users, keep the file, restore the
// latest backup or salvage it with `sqlite3 … .recover` (docs/operations.md).
std::string DamageAdvice(const std::string& path);

// A prepared statement. Binding indexes are 1-based, column indexes 0-based (as in sqlite).
class Stmt {
 public:
  Stmt(sqlite3_stmt* stmt, sqlite3* db, const std::string* path)
      : stmt_(stmt), db_(db), path_(path) {}
  Stmt(Stmt&&) = default;
  Stmt& operator=(Stmt&&) = default;

  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, std::string_view text);
  Stmt& BindBlob(int i, std::string_view bytes);
  Stmt& BindNull(int i);
  Stmt& Bind(int i, const std::optional<int64_t>& v) { return v ? Bind(i, *v) : BindNull(i); }

  // Advances: true with a row to read, false when done.
  Result<bool> Step();
  // Runs to completion (for statements that return no rows).
  Status Run();
  Status Reset();

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL; }
  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL: what the value is.
  int Type(int col) const { return sqlite3_column_type(stmt_.get(), col); }
  std::optional<int64_t> OptInt(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<int64_t>(Int(col));
  }
  std::string Text(int col) const;
  std::string Blob(int col) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  sqlite3* db_;
  const std::string* path_;
};

// An open connection.
class Db {
 public:
  // Opens (creating when `create`) the file at `path`. Reads nothing yet.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, bool create,
                                          bool read_only = false);

  sqlite3* get() const { return db_.get(); }
  const std::string& path() const { return path_; }

  // Runs one or more statements that return no rows.
  Status Exec(std::string_view sql, std::string_view context);
  Result<Stmt> Prepare(std::string_view sql);
  // The first column of the first row of `sql`, which must return one integer.
  Result<int64_t> QueryInt(std::string_view sql, std::string_view context);
  // PRAGMA quick_check: reads every page and checks the structure of every b-tree (not the
  // bytes of the values). kCorruption naming `archive` (default: this file), the first
  // problems SQLite reports and what to do (DamageAdvice).
  Status QuickCheck(const std::string& archive = "");

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  std::unique_ptr<sqlite3, Closer> db_;
  std::string path_;
};

// BEGIN IMMEDIATE … COMMIT, rolled back on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) {}
  ~Transaction();
  Status Begin();
  Status Commit();

 private:
  Db& db_;
  bool open_ = false;
};

}  // namespace archivist::store

#endif  // ARCHIVIST_STORE_SQLITE_DB_H_
