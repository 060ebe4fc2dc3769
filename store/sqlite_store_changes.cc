// SqliteStore::Changes and LatestChanges: every event of the archive since a time, or its
// newest N events, in one query each.
//
// The scan is a range over the events_at index (schema version 3), so its cost follows the
// number of events in the window, not the number of threads or revisions; each event joins
// its thread (title), its answer and its revision (author) by primary key.
#include <algorithm>
#include <cstdint>

#include "store/change_query.h"
#include "store/sqlite_db.h"
#include "store/sqlite_store.h"

namespace archivist::store {

namespace {

// The rows of a statement over kChangeColumns, as ChangeRecords.
Result<std::vector<ChangeRecord>> ReadChanges(Stmt& q, const std::string& path) {
  std::vector<ChangeRecord> out;
  for (;;) {
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    ChangeRecord c;
    c.event.at = Timestamp::FromMicros(q.Int(0));
    const auto kind = model::ParseEventKind(q.Text(1));
    if (!kind) {
      return Status::Corruption("unknown event kind '" + q.Text(1) + "' in " + path);
    }
    c.event.kind = *kind;
    c.event.thread = ThreadKey{q.Text(2), static_cast<model::QuestionId>(q.Int(3))};
    c.title = q.Text(4);
    if (!q.IsNull(5)) c.event.answer = static_cast<model::AnswerId>(q.Int(5));
    c.event.revision = q.IsNull(6) ? 0 : static_cast<int>(q.Int(6));
    c.author = q.Text(7);
    c.event.details = q.Text(8);
    out.push_back(std::move(c));
  }
}

}  // namespace

Result<std::vector<ChangeRecord>> SqliteStore::Changes(Timestamp since) {
  Result<Stmt> q = db_->Prepare(std::string(kChangeColumns) + "WHERE e.at >= ?1 ORDER BY e.at, e.id");
  if (!q.ok()) return q.status();
  q->Bind(1, since.micros());
  return ReadChanges(*q, db_->path());
}

Result<std::vector<ChangeRecord>> SqliteStore::LatestChanges(size_t count) {
  Result<Stmt> q = db_->Prepare("SELECT * FROM (" + std::string(kChangeColumns) +
                                "ORDER BY e.at DESC, e.id DESC LIMIT ?1) ORDER BY 1, 10");
  if (!q.ok()) return q.status();
  q->Bind(1, static_cast<int64_t>(std::min<size_t>(count, INT64_MAX)));
  return ReadChanges(*q, db_->path());
}

}  // namespace archivist::store
