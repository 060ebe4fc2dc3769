// pg_schema: the PostgreSQL archive's schema, its versions and the migrations between them.
//
// The tables mirror the SQLite archive's (store/schema.cc, store/SCHEMA.md) with PostgreSQL
// types: bigint for every integer and id (identity columns), text, bytea for compressed HTML,
// boolean flags stored as smallint 0/1 to keep the CHECKs of SCHEMA.md literal. Version 1 is
// SQLite's current schema (version 3) as a whole.
//
// The version lives in archivist_schema (one row: application 'archivist', version N). Before
// anything is written the database is identified: a database with tables of its own but no
// archivist_schema is another application's (kCorruption, left untouched); a newer version is
// refused (kInvalidArgument). Migrations run in order, each in one transaction holding an
// advisory lock, re-reading the version under it, so concurrent openers migrate once.
#ifndef ARCHIVIST_STORE_PG_SCHEMA_H_
#define ARCHIVIST_STORE_PG_SCHEMA_H_

#include <span>

#include "base/status.h"
#include "store/pg_conn.h"
#include "store/schema.h"

namespace archivist::store {

// The PostgreSQL migrations of this build, in order.
std::span<const Migration> PgMigrations();
int PgCurrentSchemaVersion();

// Identifies the database, refuses a foreign or newer one, applies the missing migrations.
// With `read_only`, refuses one that would need a migration instead of migrating it.
Status PreparePgDatabase(PgConn& db, std::span<const Migration> migrations, bool read_only);

}  // namespace archivist::store

#endif  // ARCHIVIST_STORE_PG_SCHEMA_H_
