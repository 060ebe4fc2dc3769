#include "store/pg_conn.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>

namespace archivist::store {

PgRows::PgRows(pg_result* r) : r_(r) {}
PgRows::~PgRows() {
  if (r_ != nullptr) PQclear(r_);
}
PgRows::PgRows(PgRows&& other) noexcept : r_(other.r_) { other.r_ = nullptr; }

int PgRows::size() const { return PQntuples(r_); }
int PgRows::columns() const { return PQnfields(r_); }
bool PgRows::IsNull(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }

int64_t PgRows::Int(int row, int col) const {
  if (IsNull(row, col)) return 0;
  const char* v = PQgetvalue(r_, row, col);
  const int len = PQgetlength(r_, row, col);
  if (len == 1 && (v[0] == 't' || v[0] == 'f')) return v[0] == 't' ? 1 : 0;  // boolean
  int64_t out = 0;
  std::from_chars(v, v + len, out);
  return out;
}

std::string PgRows::Text(int row, int col) const {
  return std::string(PQgetvalue(r_, row, col), PQgetlength(r_, row, col));
}

std::string PgRows::Bytea(int row, int col) const {
  size_t n = 0;
  unsigned char* raw =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r_, row, col)), &n);
  if (raw == nullptr) return std::string();
  std::string out(reinterpret_cast<const char*>(raw), n);
  PQfreemem(raw);
  return out;
}

int64_t PgRows::affected() const {
  const char* n = PQcmdTuples(r_);
  return n[0] == '\0' ? 0 : std::strtoll(n, nullptr, 10);
}

PgConn::PgConn(pg_conn* c) : conn_(c) {
  name_ = std::string("postgresql database ") + PQdb(c) + " on " +
          (PQhost(c) != nullptr ? PQhost(c) : "?");
}
PgConn::~PgConn() { PQfinish(conn_); }

Result<std::unique_ptr<PgConn>> PgConn::Connect(const std::string& uri) {
  pg_conn* c = PQconnectdb(uri.c_str());
  if (c == nullptr) return Status::IoError("cannot allocate a PostgreSQL connection");
  if (PQstatus(c) != CONNECTION_OK) {
    std::string why = PQerrorMessage(c);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    PQfinish(c);
    return Status::IoError("cannot connect to the PostgreSQL archive: " + why);
  }
  // Quiet notices (e.g. "relation exists, skipping") rather than writing them to stderr.
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PgConn>(new PgConn(c));
}

Status PgConn::ErrorOf(pg_result* r, std::string_view context) {
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string why = r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
  while (!why.empty() && why.back() == '\n') why.pop_back();
  const std::string msg = std::string(context) + " in " + name_ + ": " + why;
  if (r != nullptr) PQclear(r);
  const std::string code = state != nullptr ? state : "";
  if (code == "40001" || code == "40P01" || code == "55P03") return Status::Unavailable(msg);
  return Status::IoError(msg);
}

Status PgConn::ReconnectIfLost() {
  if (in_transaction_ || PQstatus(conn_) != CONNECTION_BAD) return Status::Ok();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn_);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return Status::IoError("the connection to " + name_ + " was lost and cannot be made again: " +
                           why);
  }
  ++reconnections_;
  prepared_.clear();  // statements are per connection
  for (const std::string& sql : session_) {
    pg_result* r = PQexec(conn_, sql.c_str());
    if (r == nullptr || PQresultStatus(r) != PGRES_COMMAND_OK) {
      return ErrorOf(r, "configuring the connection again");
    }
    PQclear(r);
  }
  return Status::Ok();
}

Status PgConn::SetSession(const std::string& sql, std::string_view context) {
  ARCHIVIST_RETURN_IF_ERROR(Exec(sql, context));
  session_.push_back(sql);
  return Status::Ok();
}

Status PgConn::Begin(std::string_view context) {
  ARCHIVIST_RETURN_IF_ERROR(Exec("BEGIN", context));
  in_transaction_ = true;
  return Status::Ok();
}

Status PgConn::Commit(std::string_view context) {
  Status st = Exec("COMMIT", context);
  in_transaction_ = false;
  return st;
}

void PgConn::Rollback(std::string_view context) {
  if (PQstatus(conn_) == CONNECTION_OK) (void)Exec("ROLLBACK", context);
  in_transaction_ = false;
}

Status PgConn::Exec(const std::string& sql, std::string_view context) {
  ARCHIVIST_RETURN_IF_ERROR(ReconnectIfLost());
  pg_result* r = PQexec(conn_, sql.c_str());
  const ExecStatusType st = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return ErrorOf(r, context);
  PQclear(r);
  return Status::Ok();
}

Result<PgRows> PgConn::Query(const std::string& sql, const std::vector<PgParam>& params) {
  ARCHIVIST_RETURN_IF_ERROR(ReconnectIfLost());
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    const std::string name = "s" + std::to_string(prepared_.size() + 1);
    pg_result* r = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
    if (r == nullptr || PQresultStatus(r) != PGRES_COMMAND_OK) {
      return ErrorOf(r, "preparing a statement");
    }
    PQclear(r);
    it = prepared_.emplace(sql, name).first;
  }
  std::vector<std::string> text(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  std::vector<int> lengths(params.size(), 0);
  std::vector<int> formats(params.size(), 0);
  for (size_t i = 0; i < params.size(); ++i) {
    const PgParam& p = params[i];
    if (const auto* n = std::get_if<int64_t>(&p)) {
      text[i] = std::to_string(*n);
      values[i] = text[i].c_str();
    } else if (const auto* s = std::get_if<std::string>(&p)) {
      if (s->find('\0') != std::string::npos) {
        return Status::InvalidArgument("text parameter " + std::to_string(i + 1) +
                                       " holds a NUL byte, which PostgreSQL text cannot store");
      }
      values[i] = s->c_str();
    } else if (const auto* b = std::get_if<Bytes>(&p)) {
      values[i] = b->data.data();
      lengths[i] = static_cast<int>(b->data.size());
      formats[i] = 1;
    }
  }
  pg_result* r = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                                values.data(), lengths.data(), formats.data(), 0);
  const ExecStatusType st = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return ErrorOf(r, "running a statement");
  return PgRows(r);
}

Status PgConn::CopyBegin(const std::string& sql) {
  pg_result* r = PQexec(conn_, sql.c_str());
  if (r == nullptr || PQresultStatus(r) != PGRES_COPY_IN) return ErrorOf(r, "starting a copy");
  PQclear(r);
  return Status::Ok();
}

Status PgConn::CopyData(std::string_view data) {
  if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1) {
    return ErrorOf(nullptr, "sending rows");
  }
  return Status::Ok();
}

Status PgConn::CopyEnd() {
  if (PQputCopyEnd(conn_, nullptr) != 1) return ErrorOf(nullptr, "ending a copy");
  Status st = Status::Ok();
  while (pg_result* r = PQgetResult(conn_)) {
    if (st.ok() && PQresultStatus(r) != PGRES_COMMAND_OK) {
      st = ErrorOf(r, "copying rows");  // clears r
    } else {
      PQclear(r);
    }
  }
  return st;
}

void PgConn::CopyAbort() {
  (void)PQputCopyEnd(conn_, "copy abandoned");
  while (pg_result* r = PQgetResult(conn_)) PQclear(r);
}

}  // namespace archivist::store
