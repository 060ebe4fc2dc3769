// schema: the archive's on-disk schema, its versions and the migrations between them.
//
// The version is PRAGMA user_version; PRAGMA application_id marks the file as ours
// (kApplicationId, "ARCV"). Migrations are ordered; migration i brings a database from
// version i-1 to version i in one transaction, so an interrupted upgrade leaves the previous
// version intact. store/SCHEMA.md documents every table and invariant.
//
// PrepareDatabase checks before it writes anything: a file that is not SQLite, an SQLite
// database that is not an archivist one, or one from a newer archivist are refused with a
// clear error and left byte for byte as they were.
#ifndef ARCHIVIST_STORE_SCHEMA_H_
#define ARCHIVIST_STORE_SCHEMA_H_

#include <span>

#include "base/status.h"
#include "store/sqlite_db.h"

namespace archivist::store {

inline constexpr int64_t kApplicationId = 0x41524356;  // "ARCV"

struct Migration {
  int version;      // the version this migration produces
  const char* sql;  // statements run inside the migration's transaction
};

// The migrations of this build, in order; the last one's version is the current schema.
std::span<const Migration> Migrations();
int CurrentSchemaVersion();

struct ConnectionSetup {
  int busy_timeout_ms = 5000;
  bool synchronous_full = true;
  bool read_only = false;  // check only: refuse a file that would need a migration
  int64_t max_pages = 0;   // 0 = no cap
  bool quick_check = false;  // check the whole file (Db::QuickCheck) before writing anything
};

// Refuses foreign and newer files (and damaged ones, with `quick_check`), then sets the
// connection up (WAL, foreign keys, busy timeout, synchronous) and applies the migrations
// the file lacks.
Status PrepareDatabase(Db& db, std::span<const Migration> migrations,
                       const ConnectionSetup& setup);

}  // namespace archivist::store

#endif  // ARCHIVIST_STORE_SCHEMA_H_
