// The PostgreSQL schema, version by version. To add a version: append {N, "…"} to
// kPgMigrations, mirror the SQLite migration of the same meaning, and describe it in
// docs/store.md.
#include "store/pg_schema.h"

#include <string>

namespace archivist::store {
namespace {

constexpr const char* kPgSchemaV1 = R"sql(
CREATE TABLE threads (
  id                 bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source             text    NOT NULL,
  source_id          bigint  NOT NULL,
  title              text    NOT NULL DEFAULT '',
  question_author    text    NOT NULL DEFAULT '',
  added_at           bigint  NOT NULL,
  first_archived_at  bigint,
  tracking           text    NOT NULL DEFAULT 'active'
                     CHECK (tracking IN ('active', 'removed', 'retired')),
  discovered         smallint NOT NULL DEFAULT 0 CHECK (discovered IN (0, 1)),
  track_until        bigint,
  next_due_at        bigint,
  interval_s         bigint,
  not_found_count    bigint  NOT NULL DEFAULT 0,
  gone_at            bigint,
  version            bigint  NOT NULL DEFAULT 0,
  first_not_found_at bigint,
  UNIQUE (source, source_id)
);
CREATE INDEX threads_due ON threads (tracking, next_due_at);

CREATE TABLE fetches (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  thread_id     bigint NOT NULL REFERENCES threads (id),
  started_at    bigint NOT NULL,
  outcome       text   NOT NULL,
  http_status   bigint NOT NULL DEFAULT 0,
  error_code    text   NOT NULL DEFAULT '',
  error_message text   NOT NULL DEFAULT '',
  pages         bigint NOT NULL DEFAULT 0,
  answer_count  bigint NOT NULL DEFAULT 0,
  duration_ms   bigint NOT NULL DEFAULT 0
);
CREATE INDEX fetches_thread ON fetches (thread_id, started_at);

CREATE TABLE answers (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  thread_id     bigint NOT NULL REFERENCES threads (id),
  source_id     bigint NOT NULL,
  author_name   text   NOT NULL,
  state         text   NOT NULL CHECK (state IN ('present', 'deleted')),
  first_seen_at bigint NOT NULL,
  last_seen_at  bigint NOT NULL,
  absent_count  bigint NOT NULL DEFAULT 0,
  position      bigint NOT NULL,
  UNIQUE (thread_id, source_id)
);
CREATE INDEX answers_source_id ON answers (source_id);

CREATE TABLE revisions (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  answer_id          bigint NOT NULL REFERENCES answers (id),
  number             bigint NOT NULL CHECK (number >= 1),
  fetch_id           bigint NOT NULL REFERENCES fetches (id),
  observed_at        bigint NOT NULL,
  created_time       bigint NOT NULL,
  updated_time       bigint NOT NULL,
  content_hash       text   NOT NULL,
  author_name        text   NOT NULL,
  html_size          bigint NOT NULL,
  html_zstd          bytea  NOT NULL,
  markdown           text   NOT NULL,
  normalizer_version bigint NOT NULL,
  UNIQUE (answer_id, number)
);
CREATE INDEX revisions_renormalize ON revisions (normalizer_version, id);
CREATE INDEX revisions_fetch ON revisions (fetch_id);

CREATE TABLE events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  thread_id   bigint NOT NULL REFERENCES threads (id),
  fetch_id    bigint NOT NULL REFERENCES fetches (id),
  at          bigint NOT NULL,
  kind        text   NOT NULL CHECK (kind IN ('thread_added', 'title_changed', 'answer_added',
                'answer_edited', 'answer_deleted', 'answer_restored', 'thread_gone',
                'thread_returned')),
  answer_id   bigint REFERENCES answers (id),
  revision_id bigint REFERENCES revisions (id),
  details     text   NOT NULL DEFAULT '',
  CHECK ((kind IN ('answer_added', 'answer_edited', 'answer_deleted', 'answer_restored'))
         = (answer_id IS NOT NULL)),
  CHECK ((kind IN ('answer_added', 'answer_edited', 'answer_restored'))
         = (revision_id IS NOT NULL))
);
CREATE INDEX events_thread ON events (thread_id, at);
CREATE INDEX events_answer ON events (answer_id, at);
CREATE INDEX events_fetch ON events (fetch_id);
CREATE INDEX events_at ON events (at, id);

CREATE TABLE orders (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  thread_id  bigint NOT NULL REFERENCES threads (id),
  at         bigint NOT NULL,
  answer_ids text   NOT NULL
);
CREATE INDEX orders_thread ON orders (thread_id, at);
)sql";

// Several daemons on one archive (docs/store.md "Claims and leases"): a thread's lease, the
// daemons working on the archive, and named times shared by them (the hot-list poll).
constexpr const char* kPgSchemaV2 = R"sql(
ALTER TABLE threads ADD COLUMN lease_owner text, ADD COLUMN lease_until bigint,
  ADD CHECK ((lease_owner IS NULL) = (lease_until IS NULL));
CREATE INDEX threads_lease_owner ON threads (lease_owner) WHERE lease_owner IS NOT NULL;

CREATE TABLE daemons (
  id           text   PRIMARY KEY,
  host         text   NOT NULL,
  pid          bigint NOT NULL,
  version      text   NOT NULL,
  started_at   bigint NOT NULL,
  heartbeat_at bigint NOT NULL
);

CREATE TABLE marks (
  name text   PRIMARY KEY,
  at   bigint NOT NULL
);
)sql";

// The images the answers show (docs/media.md); the SQLite schema's version 4.
constexpr const char* kPgSchemaMedia = R"sql(
CREATE TABLE media (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sha256     text   NOT NULL UNIQUE,
  media_type text   NOT NULL,
  size       bigint NOT NULL,
  data       bytea  NOT NULL,
  fetched_at bigint NOT NULL
);
CREATE TABLE media_refs (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  revision_id bigint NOT NULL REFERENCES revisions (id),
  position    bigint NOT NULL,
  url         text   NOT NULL,
  status      text   NOT NULL DEFAULT 'pending' CHECK (status IN
              ('pending', 'stored', 'not_found', 'forbidden', 'too_large', 'failed')),
  sha256      text   REFERENCES media (sha256),
  reason      text   NOT NULL DEFAULT '',
  http_status bigint NOT NULL DEFAULT 0,
  attempts    bigint NOT NULL DEFAULT 0,
  next_try_at bigint,
  CHECK ((status = 'stored') = (sha256 IS NOT NULL)),
  UNIQUE (revision_id, url)
);
CREATE INDEX media_refs_url ON media_refs (url);
CREATE INDEX media_refs_pending ON media_refs (status, next_try_at);
CREATE TABLE media_fetches (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  url         text   NOT NULL,
  at          bigint NOT NULL,
  status      text   NOT NULL,
  http_status bigint NOT NULL DEFAULT 0,
  reason      text   NOT NULL DEFAULT '',
  sha256      text
);
CREATE INDEX media_fetches_url ON media_fetches (url, at);
)sql";

constexpr Migration kPgMigrations[] = {
    {1, kPgSchemaV1},
    {2, kPgSchemaV2},
    {3, kPgSchemaMedia},
};

// An arbitrary constant: the advisory lock migrations hold ("ARCV").
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(1095910230)";

// The schema version, 0 for an empty database; kCorruption for another application's.
Result<int64_t> Identify(PgConn& db) {
  Result<PgRows> meta = db.Query(
      "SELECT to_regclass('archivist_schema') IS NOT NULL, (SELECT count(*) FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
      "AND c.relkind IN ('r', 'v', 'm', 'S', 'p'))");
  if (!meta.ok()) return meta.status().WithContext("identifying the archive");
  if (meta->Int(0, 0) == 0) {
    if (meta->Int(0, 1) == 0) return int64_t{0};
    return Status::Corruption(db.name() + " is not an archivist database (it holds " +
                              meta->Text(0, 1) +
                              " tables of another application); left untouched");
  }
  Result<PgRows> v = db.Query("SELECT application, version FROM archivist_schema");
  if (!v.ok()) return v.status().WithContext("reading the schema version");
  if (v->size() != 1 || v->Text(0, 0) != "archivist") {
    return Status::Corruption(db.name() + " has an archivist_schema table that is not an " +
                              "archivist's; left untouched");
  }
  return v->Int(0, 1);
}

Status ApplyMigration(PgConn& db, const Migration& m) {
  ARCHIVIST_RETURN_IF_ERROR(db.Begin("starting a migration"));
  Status st = [&]() -> Status {
    ARCHIVIST_RETURN_IF_ERROR(db.Exec(kMigrationLock, "locking for a migration"));
    Result<int64_t> ver = Identify(db);  // under the lock: another process may have migrated
    if (!ver.ok()) return ver.status();
    if (*ver >= m.version) return Status::Ok();
    if (*ver != m.version - 1) {
      return Status::Corruption(db.name() + ": schema version " + std::to_string(*ver) +
                                " cannot be migrated to " + std::to_string(m.version));
    }
    const std::string context = "migrating the archive to schema version " +
                                std::to_string(m.version);
    ARCHIVIST_RETURN_IF_ERROR(db.Exec(m.sql, context));
    if (m.version == 1) {
      ARCHIVIST_RETURN_IF_ERROR(db.Exec(
          "CREATE TABLE archivist_schema (application text NOT NULL, version bigint NOT NULL); "
          "INSERT INTO archivist_schema VALUES ('archivist', 1)", context));
      return Status::Ok();
    }
    Result<PgRows> set = db.Query("UPDATE archivist_schema SET version = $1",
                                  {int64_t{m.version}});
    return set.ok() ? Status::Ok() : set.status();
  }();
  if (!st.ok()) {
    db.Rollback("abandoning a migration");
    return st;
  }
  return db.Commit("committing a migration");
}

}  // namespace

std::span<const Migration> PgMigrations() { return kPgMigrations; }

int PgCurrentSchemaVersion() { return kPgMigrations[std::size(kPgMigrations) - 1].version; }

Status PreparePgDatabase(PgConn& db, std::span<const Migration> migrations, bool read_only) {
  Result<int64_t> ver = Identify(db);
  if (!ver.ok()) return ver.status();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (*ver > latest) {
    return Status::InvalidArgument(
        db.name() + " has archive schema version " + std::to_string(*ver) +
        ", newer than this archivist understands (" + std::to_string(latest) +
        "); upgrade archivist. The database was left untouched");
  }
  if (read_only) {
    if (*ver < latest) {
      return Status::InvalidArgument(db.name() + " has archive schema version " +
                                     std::to_string(*ver) + " and needs an upgrade to " +
                                     std::to_string(latest) +
                                     ", which a read-only open cannot do; open it once read-write");
    }
    return db.SetSession("SET default_transaction_read_only = on", "configuring the connection");
  }
  for (const Migration& m : migrations) {
    if (m.version <= *ver) continue;
    ARCHIVIST_RETURN_IF_ERROR(ApplyMigration(db, m));
  }
  return Status::Ok();
}

}  // namespace archivist::store
