// SqliteStore: the media tables (store/SCHEMA.md "media", docs/media.md).
//
// Refs are written inside CommitRefresh's transaction (WriteMediaRefs); a URL already stored
// for another revision is linked at once, so an image shown by many answers and revisions is
// fetched and stored once. A fetch result is applied in its own transaction: the blob (once per
// hash), the URL's history row and every pending ref of the URL.
#include "store/sqlite_db.h"
#include "store/sqlite_store.h"

namespace archivist::store {
namespace {

int64_t Sql(uint64_t id) { return static_cast<int64_t>(id); }

}  // namespace

Status SqliteStore::WriteMediaRefs(int64_t revision_row, const std::vector<std::string>& urls) {
  if (urls.empty()) return Status::Ok();
  Result<Stmt> ins = db_->Prepare(
      "INSERT OR IGNORE INTO media_refs (revision_id, position, url, status, sha256) "
      "SELECT ?1, ?2, ?3, CASE WHEN s.h IS NULL THEN 'pending' ELSE 'stored' END, s.h "
      "FROM (SELECT (SELECT sha256 FROM media_refs WHERE url = ?3 AND status = 'stored' "
      "LIMIT 1) AS h) s");
  if (!ins.ok()) return ins.status();
  int64_t position = 0;
  for (const std::string& url : urls) {
    ARCHIVIST_RETURN_IF_ERROR(ins->Reset());
    ins->Bind(1, revision_row).Bind(2, position++).Bind(3, url);
    ARCHIVIST_RETURN_IF_ERROR(ins->Run());
  }
  return Status::Ok();
}

Result<std::vector<MediaTask>> SqliteStore::DueMedia(const ThreadKey& thread, Timestamp now,
                                                     int limit) {
  Result<int64_t> thread_row = ThreadRowId(thread);
  if (!thread_row.ok()) return thread_row.status();
  Result<Stmt> q = db_->Prepare(
      "SELECT m.url, MAX(m.attempts) FROM media_refs m "
      "JOIN revisions r ON r.id = m.revision_id JOIN answers a ON a.id = r.answer_id "
      "WHERE a.thread_id = ?1 AND m.status = 'pending' "
      "AND (m.next_try_at IS NULL OR m.next_try_at <= ?2) "
      "GROUP BY m.url ORDER BY MAX(m.attempts), MIN(m.id) LIMIT ?3");
  if (!q.ok()) return q.status();
  q->Bind(1, *thread_row).Bind(2, now.micros()).Bind(3, int64_t{limit});
  std::vector<MediaTask> out;
  for (;;) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back({q->Text(0), static_cast<int>(q->Int(1))});
  }
  return out;
}

Status SqliteStore::RecordMediaFetch(const MediaFetchRecord& f) {
  const bool stored = f.status == MediaStatus::kStored;
  if (stored && f.sha256.size() != 64) {
    return Status::InvalidArgument("a stored image needs its SHA-256 (64 hex digits)");
  }
  Transaction txn(*db_);
  ARCHIVIST_RETURN_IF_ERROR(txn.Begin());
  if (stored) {
    Result<Stmt> blob = db_->Prepare(
        "INSERT OR IGNORE INTO media (sha256, media_type, size, data, fetched_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!blob.ok()) return blob.status();
    blob->Bind(1, f.sha256).Bind(2, f.media_type).Bind(3, static_cast<int64_t>(f.data.size()));
    blob->BindBlob(4, f.data).Bind(5, f.at.micros());
    ARCHIVIST_RETURN_IF_ERROR(blob->Run());
  }
  Result<Stmt> history = db_->Prepare(
      "INSERT INTO media_fetches (url, at, status, http_status, reason, sha256) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!history.ok()) return history.status();
  history->Bind(1, f.url).Bind(2, f.at.micros()).Bind(3, MediaStatusName(f.status));
  history->Bind(4, int64_t{f.http_status}).Bind(5, f.reason);
  if (stored) history->Bind(6, f.sha256); else history->BindNull(6);
  ARCHIVIST_RETURN_IF_ERROR(history->Run());
  Result<Stmt> refs = db_->Prepare(
      "UPDATE media_refs SET status = ?2, sha256 = ?3, reason = ?4, http_status = ?5, "
      "attempts = attempts + 1, next_try_at = ?6 WHERE url = ?1 AND status = 'pending'");
  if (!refs.ok()) return refs.status();
  refs->Bind(1, f.url).Bind(2, MediaStatusName(f.status));
  if (stored) refs->Bind(3, f.sha256); else refs->BindNull(3);
  refs->Bind(4, f.reason).Bind(5, int64_t{f.http_status});
  const bool again = f.status == MediaStatus::kPending && f.next_try;
  refs->Bind(6, again ? std::optional<int64_t>(f.next_try->micros()) : std::nullopt);
  ARCHIVIST_RETURN_IF_ERROR(refs->Run());
  ARCHIVIST_RETURN_IF_ERROR(Fault("commit media"));
  return txn.Commit();
}

Result<std::vector<MediaRefRecord>> SqliteStore::MediaRefs(const ThreadKey& thread,
                                                           std::optional<model::AnswerId> answer) {
  Result<int64_t> thread_row = ThreadRowId(thread);
  if (!thread_row.ok()) return thread_row.status();
  Result<Stmt> q = db_->Prepare(
      "SELECT a.source_id, r.number, r.observed_at, m.position, m.url, m.status, m.reason, "
      "m.http_status, m.attempts, m.sha256, md.media_type, md.size, md.fetched_at "
      "FROM media_refs m JOIN revisions r ON r.id = m.revision_id "
      "JOIN answers a ON a.id = r.answer_id LEFT JOIN media md ON md.sha256 = m.sha256 "
      "WHERE a.thread_id = ?1 AND (?2 IS NULL OR a.source_id = ?2) "
      "ORDER BY a.position, a.source_id, r.number, m.position");
  if (!q.ok()) return q.status();
  q->Bind(1, *thread_row);
  q->Bind(2, answer ? std::optional<int64_t>(Sql(*answer)) : std::nullopt);
  std::vector<MediaRefRecord> out;
  for (;;) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    MediaRefRecord m;
    m.answer = {thread.source, static_cast<model::AnswerId>(q->Int(0)), thread.id};
    m.revision = static_cast<int>(q->Int(1));
    m.observed_at = Timestamp::FromMicros(q->Int(2));
    m.position = static_cast<int>(q->Int(3));
    m.url = q->Text(4);
    m.status = ParseMediaStatus(q->Text(5)).value_or(MediaStatus::kFailed);
    m.reason = q->Text(6);
    m.http_status = static_cast<int>(q->Int(7));
    m.attempts = static_cast<int>(q->Int(8));
    m.sha256 = q->Text(9);
    m.media_type = q->Text(10);
    m.size = q->Int(11);
    if (!q->IsNull(12)) m.fetched_at = Timestamp::FromMicros(q->Int(12));
    out.push_back(std::move(m));
  }
  return out;
}

Result<MediaBlob> SqliteStore::GetMedia(const std::string& sha256) {
  Result<Stmt> q = db_->Prepare(
      "SELECT sha256, media_type, data, fetched_at FROM media WHERE sha256 = ?1");
  if (!q.ok()) return q.status();
  q->Bind(1, sha256);
  Result<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no stored image has the SHA-256 " + sha256);
  return MediaBlob{q->Text(0), q->Text(1), q->Blob(2), Timestamp::FromMicros(q->Int(3))};
}

Status SqliteStore::ForEachMedia(const std::function<Status(const MediaBlob&)>& visit) {
  int64_t after = 0;
  for (;;) {
    Result<Stmt> q = db_->Prepare(
        "SELECT id, sha256, media_type, data, fetched_at FROM media WHERE id > ?1 "
        "ORDER BY id LIMIT 1");
    if (!q.ok()) return q.status();
    q->Bind(1, after);
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    after = q->Int(0);
    const MediaBlob blob{q->Text(1), q->Text(2), q->Blob(3), Timestamp::FromMicros(q->Int(4))};
    ARCHIVIST_RETURN_IF_ERROR(visit(blob));
  }
}

}  // namespace archivist::store
