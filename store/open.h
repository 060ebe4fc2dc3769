// Opening an archive by the name a user gives it: a file path selects SQLite (the embedded
// default), a postgresql:// or postgres:// URI (libpq's syntax) selects PostgreSQL.
//
// Every place that names an archive (--db, [store] path, the viewer, copy-archive) goes
// through OpenStore, so both backends are reached the same way. Passwords: a URI may carry
// one (user:secret@host, ?password=…), but RedactLocation is what is ever printed — in errors,
// logs and /metrics — and OpenStore's errors have any password taken out (RedactPasswordsIn). libpq's own PGPASSFILE / passfile= are the way to keep it out of the URI.
//
// Thread-safety: free functions; the store returned is one object per thread (store.h).
#ifndef ARCHIVIST_STORE_OPEN_H_
#define ARCHIVIST_STORE_OPEN_H_

#include <memory>
#include <string>
#include <string_view>

#include "base/archive_location.h"
#include "base/status.h"
#include "store/store.h"

namespace archivist::store {

struct OpenOptions {
  bool create = true;            // SQLite: create the file when missing (else kNotFound)
  bool read_only = false;        // never write: no migration, a read-only session
  bool check_integrity = false;  // SQLite: PRAGMA quick_check before anything is written
};

using archivist::IsDatabaseUri;
using archivist::RedactLocation;
using archivist::RedactPasswordsIn;

Result<std::unique_ptr<Store>> OpenStore(const std::string& location,
                                         const OpenOptions& options = {});

}  // namespace archivist::store

#endif  // ARCHIVIST_STORE_OPEN_H_
