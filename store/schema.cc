// Schema versions and the open-time checks. To add a version: append {N, "ALTER …"} to
// kMigrations, describe it in SCHEMA.md, and add a test that migrates a file of version N-1
// holding data (schema_test.cc: Version2KeepsTheDataOfVersion1).
#include "store/schema.h"

#include <string>

namespace archivist::store {
namespace {

constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE threads (
  id                INTEGER PRIMARY KEY,
  source            TEXT    NOT NULL,
  source_id         INTEGER NOT NULL,
  title             TEXT    NOT NULL DEFAULT '',
  question_author   TEXT    NOT NULL DEFAULT '',
  added_at          INTEGER NOT NULL,
  first_archived_at INTEGER,
  tracking          TEXT    NOT NULL DEFAULT 'active'
                    CHECK (tracking IN ('active', 'removed', 'retired')),
  discovered        INTEGER NOT NULL DEFAULT 0 CHECK (discovered IN (0, 1)),
  track_until       INTEGER,
  next_due_at       INTEGER,
  interval_s        INTEGER,
  not_found_count   INTEGER NOT NULL DEFAULT 0,
  gone_at           INTEGER,
  version           INTEGER NOT NULL DEFAULT 0,
  UNIQUE (source, source_id)
);
CREATE INDEX threads_due ON threads (tracking, next_due_at);

CREATE TABLE fetches (
  id            INTEGER PRIMARY KEY,
  thread_id     INTEGER NOT NULL REFERENCES threads (id),
  started_at    INTEGER NOT NULL,
  outcome       TEXT    NOT NULL,
  http_status   INTEGER NOT NULL DEFAULT 0,
  error_code    TEXT    NOT NULL DEFAULT '',
  error_message TEXT    NOT NULL DEFAULT '',
  pages         INTEGER NOT NULL DEFAULT 0,
  answer_count  INTEGER NOT NULL DEFAULT 0,
  duration_ms   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX fetches_thread ON fetches (thread_id, started_at);

CREATE TABLE answers (
  id            INTEGER PRIMARY KEY,
  thread_id     INTEGER NOT NULL REFERENCES threads (id),
  source_id     INTEGER NOT NULL,
  author_name   TEXT    NOT NULL,
  state         TEXT    NOT NULL CHECK (state IN ('present', 'deleted')),
  first_seen_at INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  absent_count  INTEGER NOT NULL DEFAULT 0,
  position      INTEGER NOT NULL,
  UNIQUE (thread_id, source_id)
);
CREATE INDEX answers_source_id ON answers (source_id);

CREATE TABLE revisions (
  id                 INTEGER PRIMARY KEY,
  answer_id          INTEGER NOT NULL REFERENCES answers (id),
  number             INTEGER NOT NULL CHECK (number >= 1),
  fetch_id           INTEGER NOT NULL REFERENCES fetches (id),
  observed_at        INTEGER NOT NULL,
  created_time       INTEGER NOT NULL,
  updated_time       INTEGER NOT NULL,
  content_hash       TEXT    NOT NULL,
  author_name        TEXT    NOT NULL,
  html_size          INTEGER NOT NULL,
  html_zstd          BLOB    NOT NULL,
  markdown           TEXT    NOT NULL,
  normalizer_version INTEGER NOT NULL,
  UNIQUE (answer_id, number)
);
CREATE INDEX revisions_renormalize ON revisions (normalizer_version, id);

CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  thread_id   INTEGER NOT NULL REFERENCES threads (id),
  fetch_id    INTEGER NOT NULL REFERENCES fetches (id),
  at          INTEGER NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('thread_added', 'title_changed', 'answer_added',
                'answer_edited', 'answer_deleted', 'answer_restored', 'thread_gone')),
  answer_id   INTEGER REFERENCES answers (id),
  revision_id INTEGER REFERENCES revisions (id),
  details     TEXT    NOT NULL DEFAULT '',
  CHECK ((kind IN ('answer_added', 'answer_edited', 'answer_deleted', 'answer_restored'))
         = (answer_id IS NOT NULL)),
  CHECK ((kind IN ('answer_added', 'answer_edited', 'answer_restored'))
         = (revision_id IS NOT NULL))
);
CREATE INDEX events_thread ON events (thread_id, at);
CREATE INDEX events_answer ON events (answer_id, at);
CREATE INDEX events_fetch ON events (fetch_id);
CREATE INDEX revisions_fetch ON revisions (fetch_id);

CREATE TABLE orders (
  id         INTEGER PRIMARY KEY,
  thread_id  INTEGER NOT NULL REFERENCES threads (id),
  at         INTEGER NOT NULL,
  answer_ids TEXT    NOT NULL
);
CREATE INDEX orders_thread ON orders (thread_id, at);
)sql";

// Version 2: the thread_returned event kind, and when the current run of not_found outcomes
// began (schedule.gone_after measures from it). SQLite cannot change a CHECK constraint, so
// the events table is rebuilt (nothing references it) and its indexes made again. A thread
// already counting not_found outcomes gets the first not_found fetch since its last usable
// or not_modified one as its start.
constexpr const char* kSchemaV2 = R"sql(
ALTER TABLE threads ADD COLUMN first_not_found_at INTEGER;
UPDATE threads SET first_not_found_at = (
  SELECT min(f.started_at) FROM fetches f
  WHERE f.thread_id = threads.id AND f.outcome = 'not_found'
    AND f.started_at > coalesce((SELECT max(g.started_at) FROM fetches g
                                 WHERE g.thread_id = threads.id
                                   AND g.outcome IN ('complete', 'partial', 'not_modified')), 0))
WHERE not_found_count > 0;

CREATE TABLE events_v2 (
  id          INTEGER PRIMARY KEY,
  thread_id   INTEGER NOT NULL REFERENCES threads (id),
  fetch_id    INTEGER NOT NULL REFERENCES fetches (id),
  at          INTEGER NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('thread_added', 'title_changed', 'answer_added',
                'answer_edited', 'answer_deleted', 'answer_restored', 'thread_gone',
                'thread_returned')),
  answer_id   INTEGER REFERENCES answers (id),
  revision_id INTEGER REFERENCES revisions (id),
  details     TEXT    NOT NULL DEFAULT '',
  CHECK ((kind IN ('answer_added', 'answer_edited', 'answer_deleted', 'answer_restored'))
         = (answer_id IS NOT NULL)),
  CHECK ((kind IN ('answer_added', 'answer_edited', 'answer_restored'))
         = (revision_id IS NOT NULL))
);
INSERT INTO events_v2 (id, thread_id, fetch_id, at, kind, answer_id, revision_id, details)
  SELECT id, thread_id, fetch_id, at, kind, answer_id, revision_id, details FROM events;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
CREATE INDEX events_thread ON events (thread_id, at);
CREATE INDEX events_answer ON events (answer_id, at);
CREATE INDEX events_fetch ON events (fetch_id);
)sql";

// Version 3: events by time, for the whole-archive question "what changed since T"
// (Store::Changes). The index on (at) carries the row id, so ORDER BY at, id is served by it.
constexpr const char* kSchemaV3 = R"sql(
CREATE INDEX events_at ON events (at);
)sql";


// Version 4: the images the answers show (docs/media.md). `media` holds each image once by
// SHA-256; `media_refs` links a revision to the URLs its HTML shows, with what became of each;
// `media_fetches` is every fetch of a URL, the evidence (a 404 today, stored tomorrow).
constexpr const char* kSchemaV4 = R"sql(
CREATE TABLE media (
  id         INTEGER PRIMARY KEY,
  sha256     TEXT    NOT NULL UNIQUE,
  media_type TEXT    NOT NULL,
  size       INTEGER NOT NULL,
  data       BLOB    NOT NULL,
  fetched_at INTEGER NOT NULL
);
CREATE TABLE media_refs (
  id          INTEGER PRIMARY KEY,
  revision_id INTEGER NOT NULL REFERENCES revisions (id),
  position    INTEGER NOT NULL,
  url         TEXT    NOT NULL,
  status      TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN
              ('pending', 'stored', 'not_found', 'forbidden', 'too_large', 'failed')),
  sha256      TEXT    REFERENCES media (sha256),
  reason      TEXT    NOT NULL DEFAULT '',
  http_status INTEGER NOT NULL DEFAULT 0,
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_try_at INTEGER,
  CHECK ((status = 'stored') = (sha256 IS NOT NULL)),
  UNIQUE (revision_id, url)
);
CREATE INDEX media_refs_url ON media_refs (url);
CREATE INDEX media_refs_pending ON media_refs (status, next_try_at);
CREATE TABLE media_fetches (
  id          INTEGER PRIMARY KEY,
  url         TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  status      TEXT    NOT NULL,
  http_status INTEGER NOT NULL DEFAULT 0,
  reason      TEXT    NOT NULL DEFAULT '',
  sha256      TEXT
);
CREATE INDEX media_fetches_url ON media_fetches (url, at);
)sql";

constexpr Migration kMigrations[] = {
    {1, kSchemaV1},
    {2, kSchemaV2},
    {3, kSchemaV3},
    {4, kSchemaV4},
};

// What the file is, read without writing: its header fields and whether it has any tables.
struct FileIdentity {
  int64_t application_id = 0;
  int64_t user_version = 0;
  int64_t objects = 0;
};

Result<FileIdentity> Identify(Db& db) {
  FileIdentity id;
  Result<int64_t> app = db.QueryInt("PRAGMA application_id", "reading the archive header");
  if (!app.ok()) return app.status();
  Result<int64_t> ver = db.QueryInt("PRAGMA user_version", "reading the schema version");
  if (!ver.ok()) return ver.status();
  Result<int64_t> objects =
      db.QueryInt("SELECT count(*) FROM sqlite_master", "listing the database's tables");
  if (!objects.ok()) return objects.status();
  id.application_id = *app;
  id.user_version = *ver;
  id.objects = *objects;
  return id;
}

Status CheckIdentity(const FileIdentity& id, const std::string& path, int latest) {
  const bool empty = id.application_id == 0 && id.user_version == 0 && id.objects == 0;
  if (empty) return Status::Ok();
  if (id.application_id != kApplicationId) {
    return Status::Corruption(path + " is not an archivist database (an SQLite database of " +
                              "another application: application_id " +
                              std::to_string(id.application_id) + ", " +
                              std::to_string(id.objects) + " schema objects); left untouched");
  }
  if (id.user_version > latest) {
    return Status::InvalidArgument(
        path + " has archive schema version " + std::to_string(id.user_version) +
        ", newer than this archivist understands (" + std::to_string(latest) +
        "); upgrade archivist. The file was left untouched");
  }
  return Status::Ok();
}

Status ApplyMigration(Db& db, const Migration& m) {
  Transaction txn(db);
  ARCHIVIST_RETURN_IF_ERROR(txn.Begin());
  // Re-read inside the write lock: another process may have migrated meanwhile.
  Result<int64_t> ver = db.QueryInt("PRAGMA user_version", "reading the schema version");
  if (!ver.ok()) return ver.status();
  if (*ver >= m.version) return Status::Ok();
  if (*ver != m.version - 1) {
    return Status::Corruption(db.path() + ": schema version " + std::to_string(*ver) +
                              " cannot be migrated to " + std::to_string(m.version));
  }
  const std::string context = "migrating the archive to schema version " +
                              std::to_string(m.version);
  ARCHIVIST_RETURN_IF_ERROR(db.Exec(m.sql, context));
  ARCHIVIST_RETURN_IF_ERROR(db.Exec("PRAGMA application_id = " + std::to_string(kApplicationId) +
                                        "; PRAGMA user_version = " + std::to_string(m.version),
                                    context));
  return txn.Commit();
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int CurrentSchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

Status PrepareDatabase(Db& db, std::span<const Migration> migrations,
                       const ConnectionSetup& setup) {
  sqlite3_busy_timeout(db.get(), setup.busy_timeout_ms);
  Result<FileIdentity> id = Identify(db);
  if (!id.ok()) return id.status();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  ARCHIVIST_RETURN_IF_ERROR(CheckIdentity(*id, db.path(), latest));
  if (setup.quick_check) ARCHIVIST_RETURN_IF_ERROR(db.QuickCheck());
  if (setup.read_only) {
    if (id->user_version < latest) {
      return Status::InvalidArgument(
          db.path() + " has archive schema version " + std::to_string(id->user_version) +
          " and needs an upgrade to " + std::to_string(latest) +
          ", which a read-only open cannot do; open it once read-write");
    }
    return db.Exec("PRAGMA foreign_keys = ON; PRAGMA query_only = ON",
                   "configuring the connection");
  }
  // From here on the file is ours (or empty): setting it up may write.
  std::string journal_mode;
  {
    Result<Stmt> mode = db.Prepare("PRAGMA journal_mode");
    if (!mode.ok()) return mode.status();
    Result<bool> row = mode->Step();
    if (!row.ok()) return row.status();
    if (*row) journal_mode = mode->Text(0);
  }
  if (journal_mode != "wal") {
    ARCHIVIST_RETURN_IF_ERROR(db.Exec("PRAGMA journal_mode = WAL", "switching to WAL mode"));
  }
  ARCHIVIST_RETURN_IF_ERROR(db.Exec(std::string("PRAGMA foreign_keys = ON; PRAGMA synchronous = ") +
                                        (setup.synchronous_full ? "FULL" : "NORMAL"),
                                    "configuring the connection"));
  if (setup.max_pages > 0) {
    ARCHIVIST_RETURN_IF_ERROR(db.Exec("PRAGMA max_page_count = " +
                                          std::to_string(setup.max_pages),
                                      "capping the file size"));
  }
  for (const Migration& m : migrations) {
    if (m.version <= id->user_version) continue;
    ARCHIVIST_RETURN_IF_ERROR(ApplyMigration(db, m));
  }
  return Status::Ok();
}

}  // namespace archivist::store
