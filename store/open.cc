// Backend selection by location (see open.h).
#include "store/open.h"

#include "store/pg_store.h"
#include "store/sqlite_store.h"

namespace archivist::store {
namespace {

// The same status with any password of `location` taken out of its message: libpq may quote
// a malformed part of the URI it was given.
Status Redacted(const Status& st, const std::string& location) {
  const std::string msg = RedactPasswordsIn(st.message(), location);
  switch (st.code()) {
    case Status::Code::kInvalidArgument: return Status::InvalidArgument(msg);
    case Status::Code::kNotFound: return Status::NotFound(msg);
    case Status::Code::kCorruption: return Status::Corruption(msg);
    case Status::Code::kUnavailable: return Status::Unavailable(msg);
    case Status::Code::kInternal: return Status::Internal(msg);
    default: return Status::IoError(msg);
  }
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const std::string& location, const OpenOptions& options) {
  if (IsDatabaseUri(location)) {
    PgOptions pg;
    pg.read_only = options.read_only;
    Result<std::unique_ptr<PgStore>> db = PgStore::Open(location, pg);
    if (!db.ok()) return Redacted(db.status(), location);
    return std::unique_ptr<Store>(std::move(*db));
  }
  SqliteOptions sqlite;
  sqlite.read_only = options.read_only;
  sqlite.create = options.create && !options.read_only;
  sqlite.check_integrity = options.check_integrity;
  Result<std::unique_ptr<SqliteStore>> db = SqliteStore::Open(location, sqlite);
  if (!db.ok()) return db.status();
  return std::unique_ptr<Store>(std::move(*db));
}

}  // namespace archivist::store
