// PgStore: the media tables (store/SCHEMA.md "media", docs/media.md), as SqliteStore has them
// (store/sqlite_store_media.cc): refs written in CommitRefresh's transaction, a fetch result
// applied in its own. Two processes storing the same image at once insert one row: the
// second insert does nothing (ON CONFLICT on the hash).
#include "store/pg_conn.h"
#include "store/pg_store.h"

namespace archivist::store {
namespace {

int64_t Sql(uint64_t id) { return static_cast<int64_t>(id); }

PgParam OptTimeParam(const std::optional<Timestamp>& t) {
  if (!t) return std::monostate{};
  return t->micros();
}

}  // namespace

Status PgStore::WriteMediaRefs(int64_t revision_row, const std::vector<std::string>& urls) {
  int64_t position = 0;
  for (const std::string& url : urls) {
    Result<PgRows> ins = db_->Query(
        "INSERT INTO media_refs (revision_id, position, url, status, sha256) "
        "SELECT $1, $2, $3, CASE WHEN s.h IS NULL THEN 'pending' ELSE 'stored' END, s.h "
        "FROM (SELECT (SELECT sha256 FROM media_refs WHERE url = $3 AND status = 'stored' "
        "LIMIT 1) AS h) s ON CONFLICT (revision_id, url) DO NOTHING",
        {revision_row, position++, url});
    if (!ins.ok()) return ins.status();
  }
  return Status::Ok();
}

Result<std::vector<MediaTask>> PgStore::DueMedia(const ThreadKey& thread, Timestamp now,
                                                 int limit) {
  Result<int64_t> thread_row = ThreadRowId(thread);
  if (!thread_row.ok()) return thread_row.status();
  Result<PgRows> q = db_->Query(
      "SELECT m.url, MAX(m.attempts) FROM media_refs m "
      "JOIN revisions r ON r.id = m.revision_id JOIN answers a ON a.id = r.answer_id "
      "WHERE a.thread_id = $1 AND m.status = 'pending' "
      "AND (m.next_try_at IS NULL OR m.next_try_at <= $2) "
      "GROUP BY m.url ORDER BY MAX(m.attempts), MIN(m.id) LIMIT $3",
      {*thread_row, now.micros(), int64_t{limit}});
  if (!q.ok()) return q.status();
  std::vector<MediaTask> out;
  for (int i = 0; i < q->size(); ++i) out.push_back({q->Text(i, 0), static_cast<int>(q->Int(i, 1))});
  return out;
}

Status PgStore::RecordMediaFetch(const MediaFetchRecord& f) {
  const bool stored = f.status == MediaStatus::kStored;
  if (stored && f.sha256.size() != 64) {
    return Status::InvalidArgument("a stored image needs its SHA-256 (64 hex digits)");
  }
  const PgParam sha = stored ? PgParam(f.sha256) : PgParam(std::monostate{});
  const bool again = f.status == MediaStatus::kPending && f.next_try;
  return InTransaction([&]() -> Status {
    if (stored) {
      Result<PgRows> blob = db_->Query(
          "INSERT INTO media (sha256, media_type, size, data, fetched_at) "
          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
          {f.sha256, f.media_type, static_cast<int64_t>(f.data.size()), Bytes{f.data},
           f.at.micros()});
      if (!blob.ok()) return blob.status();
    }
    Result<PgRows> history = db_->Query(
        "INSERT INTO media_fetches (url, at, status, http_status, reason, sha256) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {f.url, f.at.micros(), std::string(MediaStatusName(f.status)),
         int64_t{f.http_status}, f.reason, sha});
    if (!history.ok()) return history.status();
    Result<PgRows> refs = db_->Query(
        "UPDATE media_refs SET status = $2, sha256 = $3, reason = $4, http_status = $5, "
        "attempts = attempts + 1, next_try_at = $6 WHERE url = $1 AND status = 'pending'",
        {f.url, std::string(MediaStatusName(f.status)), sha, f.reason,
         int64_t{f.http_status}, again ? OptTimeParam(f.next_try) : PgParam(std::monostate{})});
    if (!refs.ok()) return refs.status();
    return Fault("commit media");
  });
}

Result<std::vector<MediaRefRecord>> PgStore::MediaRefs(const ThreadKey& thread,
                                                       std::optional<model::AnswerId> answer) {
  Result<int64_t> thread_row = ThreadRowId(thread);
  if (!thread_row.ok()) return thread_row.status();
  Result<PgRows> q = db_->Query(
      "SELECT a.source_id, r.number, r.observed_at, m.position, m.url, m.status, m.reason, "
      "m.http_status, m.attempts, m.sha256, md.media_type, md.size, md.fetched_at "
      "FROM media_refs m JOIN revisions r ON r.id = m.revision_id "
      "JOIN answers a ON a.id = r.answer_id LEFT JOIN media md ON md.sha256 = m.sha256 "
      "WHERE a.thread_id = $1 AND ($2::bigint IS NULL OR a.source_id = $2::bigint) "
      "ORDER BY a.position, a.source_id, r.number, m.position",
      {*thread_row, answer ? PgParam(Sql(*answer)) : PgParam(std::monostate{})});
  if (!q.ok()) return q.status();
  std::vector<MediaRefRecord> out;
  for (int i = 0; i < q->size(); ++i) {
    MediaRefRecord m;
    m.answer = {thread.source, static_cast<model::AnswerId>(q->Int(i, 0)), thread.id};
    m.revision = static_cast<int>(q->Int(i, 1));
    m.observed_at = Timestamp::FromMicros(q->Int(i, 2));
    m.position = static_cast<int>(q->Int(i, 3));
    m.url = q->Text(i, 4);
    m.status = ParseMediaStatus(q->Text(i, 5)).value_or(MediaStatus::kFailed);
    m.reason = q->Text(i, 6);
    m.http_status = static_cast<int>(q->Int(i, 7));
    m.attempts = static_cast<int>(q->Int(i, 8));
    m.sha256 = q->Text(i, 9);
    m.media_type = q->Text(i, 10);
    m.size = q->Int(i, 11);
    if (!q->IsNull(i, 12)) m.fetched_at = Timestamp::FromMicros(q->Int(i, 12));
    out.push_back(std::move(m));
  }
  return out;
}

Result<MediaBlob> PgStore::GetMedia(const std::string& sha256) {
  Result<PgRows> q = db_->Query(
      "SELECT sha256, media_type, data, fetched_at FROM media WHERE sha256 = $1", {sha256});
  if (!q.ok()) return q.status();
  if (q->size() == 0) return Status::NotFound("no stored image has the SHA-256 " + sha256);
  return MediaBlob{q->Text(0, 0), q->Text(0, 1), q->Bytea(0, 2),
                   Timestamp::FromMicros(q->Int(0, 3))};
}

Status PgStore::ForEachMedia(const std::function<Status(const MediaBlob&)>& visit) {
  int64_t after = 0;
  for (;;) {
    Result<PgRows> q = db_->Query(
        "SELECT id, sha256, media_type, data, fetched_at FROM media WHERE id > $1 "
        "ORDER BY id LIMIT 1",
        {after});
    if (!q.ok()) return q.status();
    if (q->size() == 0) return Status::Ok();
    after = q->Int(0, 0);
    const MediaBlob blob{q->Text(0, 1), q->Text(0, 2), q->Bytea(0, 3),
                         Timestamp::FromMicros(q->Int(0, 4))};
    ARCHIVIST_RETURN_IF_ERROR(visit(blob));
  }
}

}  // namespace archivist::store
