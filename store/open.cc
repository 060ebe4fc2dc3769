// Backend selection by location (see open.h).
#include "store/open.h"

#include "store/pg_store.h"
#include "store/sqlite_store.h"

namespace archivist::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& location, const OpenOptions& options) {
  if (IsDatabaseUri(location)) {
    PgOptions pg;
    pg.read_only = options.read_only;
    Result<std::unique_ptr<PgStore>> db = PgStore::Open(location, pg);
    if (!db.ok()) return db.status();
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
