// PgConn: one libpq connection with prepared statements, the only place that names libpq.
//
// Every statement is prepared once per connection (named by its SQL) and executed with
// parameters passed out of line: text parameters as text, Bytes parameters in binary form, so
// no value is ever spliced into SQL and raw bytes (compressed HTML) pass unchanged. Results are
// read in text form; Bytes columns (bytea) are unescaped. Integers are 64-bit: ids above 2^63
// are stored as their two's-complement bigint, as the SQLite store does.
//
// Errors: a failed connection is kIoError naming the server (never the password); a failed
// statement is kIoError with the server's message, or kUnavailable for a serialization
// failure or deadlock (a retry may succeed).
//
// A lost connection (the server restarted, a failover, an idle timeout) is taken up again
// by the next statement that starts outside a transaction: PQreset, the session settings of
// SetSession again, statements prepared anew. Never inside a transaction: the statements
// after a lost BEGIN would otherwise run one by one on the new connection, each committing
// on its own. A transaction that loses its connection fails (kIoError) and the server rolls it
// back; the next BEGIN reconnects. Begin/Commit/Rollback mark where transactions are.
//
// Thread-safety: one object per thread.
#ifndef ARCHIVIST_STORE_PG_CONN_H_
#define ARCHIVIST_STORE_PG_CONN_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "base/status.h"

struct pg_conn;
struct pg_result;

namespace archivist::store {

struct Bytes {
  std::string data;
};
// One statement parameter: NULL, a 64-bit integer, text, or raw bytes.
using PgParam = std::variant<std::monostate, int64_t, std::string, Bytes>;

// The rows of one statement's result.
class PgRows {
 public:
  explicit PgRows(pg_result* r);
  ~PgRows();
  PgRows(PgRows&& other) noexcept;
  PgRows(const PgRows&) = delete;
  PgRows& operator=(const PgRows&) = delete;

  int size() const;
  int columns() const;
  bool IsNull(int row, int col) const;
  int64_t Int(int row, int col) const;  // 0 for NULL
  std::string Text(int row, int col) const;  // "" for NULL
  std::string Bytea(int row, int col) const;  // unescaped
  int64_t affected() const;  // rows changed by an INSERT/UPDATE/DELETE

 private:
  pg_result* r_;
};

class PgConn {
 public:
  // Connects to `uri` (postgresql://…). The URI is not echoed in errors beyond its host.
  static Result<std::unique_ptr<PgConn>> Connect(const std::string& uri);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // Runs `sql` (several statements allowed, no parameters).
  Status Exec(const std::string& sql, std::string_view context);
  // Runs `sql` now and again after every reconnection (SET … of the session).
  Status SetSession(const std::string& sql, std::string_view context);
  // A transaction: BEGIN (reconnecting first when the connection was lost), COMMIT, ROLLBACK.
  Status Begin(std::string_view context);
  Status Commit(std::string_view context);
  void Rollback(std::string_view context);
  // How many times a lost connection was taken up again.
  int reconnections() const { return reconnections_; }
  // Prepares (once) and runs `sql` with `params` ($1, $2, …).
  Result<PgRows> Query(const std::string& sql, const std::vector<PgParam>& params = {});

  // COPY … FROM STDIN (`sql`): CopyBegin starts it, CopyData sends rows in COPY's text
  // format, CopyEnd finishes it (the server's verdict on every row). CopyAbort ends a started
  // copy with an error (the transaction is then aborted). No other statement may run between.
  Status CopyBegin(const std::string& sql);
  Status CopyData(std::string_view data);
  Status CopyEnd();
  void CopyAbort();

  // What messages call the archive: "postgresql database NAME on HOST".
  const std::string& name() const { return name_; }

 private:
  explicit PgConn(pg_conn* c);
  Status ErrorOf(pg_result* r, std::string_view context);
  // Outside a transaction, takes up a lost connection again (see above).
  Status ReconnectIfLost();

  pg_conn* conn_;
  bool in_transaction_ = false;
  int reconnections_ = 0;
  std::vector<std::string> session_;  // SetSession's statements, in order
  std::string name_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL → statement name
};

}  // namespace archivist::store

#endif  // ARCHIVIST_STORE_PG_CONN_H_
