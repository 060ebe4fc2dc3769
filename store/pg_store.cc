// PgStore: opening, tracking, and the write path of refreshes (CommitRefresh). The read
// queries are in pg_store_query.cc; Renormalize and Backup in pg_store_maintenance.cc.
//
// CommitRefresh mirrors SqliteStore's (sqlite_store.cc): the record is validated before the
// database is touched (refresh_checks.h), then one transaction locks the thread's row with
// SELECT … FOR UPDATE — a second writer of the same thread waits there, then sees the new
// version and is refused (kUnavailable) — and writes fetch record, thread, answers, revisions,
// events and order. Every cross-reference is resolved and checked inside the transaction; any
// failure rolls everything back.
#include "store/pg_store.h"

#include "store/pg_conn.h"
#include "store/pg_schema.h"
#include "store/refresh_checks.h"
#include "store/zstd_codec.h"

namespace archivist::store {
namespace {

int64_t Sql(uint64_t id) { return static_cast<int64_t>(id); }

PgParam OptMicros(const std::optional<Timestamp>& t) {
  return t ? PgParam(t->micros()) : PgParam();
}

std::string StateName(model::AnswerState s) {
  return s == model::AnswerState::kPresent ? "present" : "deleted";
}

}  // namespace

PgStore::PgStore(std::unique_ptr<PgConn> db) : db_(std::move(db)) {}
PgStore::~PgStore() = default;

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& uri, const PgOptions& options) {
  return OpenWithMigrations(uri, options, PgMigrations());
}

Result<std::unique_ptr<PgStore>> PgStore::OpenWithMigrations(
    const std::string& uri, const PgOptions& options, std::span<const Migration> migrations) {
  Result<std::unique_ptr<PgConn>> db = PgConn::Connect(uri);
  if (!db.ok()) return db.status();
  ARCHIVIST_RETURN_IF_ERROR((*db)->SetSession("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'",
                                              "configuring the connection"));
  ARCHIVIST_RETURN_IF_ERROR(PreparePgDatabase(**db, migrations, options.read_only));
  return std::unique_ptr<PgStore>(new PgStore(std::move(*db)));
}

Status PgStore::Fault(std::string_view operation) const {
  return fault_hook_ ? fault_hook_(operation) : Status::Ok();
}

Status PgStore::InTransaction(const std::function<Status()>& body) {
  ARCHIVIST_RETURN_IF_ERROR(db_->Begin("starting a transaction"));
  Status st = body();
  if (!st.ok()) {
    db_->Rollback("rolling back");
    return st;
  }
  return db_->Commit("committing");
}

Result<int64_t> PgStore::ThreadRowId(const ThreadKey& key) {
  Result<PgRows> q = db_->Query("SELECT id FROM threads WHERE source = $1 AND source_id = $2",
                                {key.source, Sql(key.id)});
  if (!q.ok()) return q.status();
  if (q->size() == 0) return Status::NotFound("thread " + ToString(key) + " is not in the archive");
  return q->Int(0, 0);
}

Result<int64_t> PgStore::AnswerRowId(const AnswerKey& answer, model::QuestionId* question) {
  Result<PgRows> q = db_->Query(
      "SELECT a.id, t.source_id FROM answers a JOIN threads t ON t.id = a.thread_id "
      "WHERE t.source = $1 AND a.source_id = $2 AND ($3::bigint = 0 OR t.source_id = $3) "
      "ORDER BY t.source_id LIMIT 10",
      {answer.source, Sql(answer.id), Sql(answer.question)});
  if (!q.ok()) return q.status();
  const std::string name = ToString(answer);
  if (q->size() == 0) {
    return Status::NotFound("answer " + name + " is not in the archive" +
                            (answer.question == 0 ? std::string()
                                                  : " under question " +
                                                        std::to_string(answer.question)));
  }
  if (q->size() > 1) {
    std::string questions;
    for (int i = 0; i < q->size(); ++i) {
      questions += (questions.empty() ? "" : ", ") +
                   std::to_string(static_cast<model::QuestionId>(q->Int(i, 1)));
    }
    return Status::InvalidArgument("answer " + name + " is under more than one question (" +
                                   questions + "); name the question");
  }
  if (question != nullptr) *question = static_cast<model::QuestionId>(q->Int(0, 1));
  return q->Int(0, 0);
}

Result<bool> PgStore::AddThread(const ThreadKey& key, Timestamp now, bool discovered,
                                std::optional<Timestamp> track_until) {
  bool was_active = false;
  Status st = InTransaction([&]() -> Status {
    Result<PgRows> ins = db_->Query(
        "INSERT INTO threads (source, source_id, added_at, discovered, track_until) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source, source_id) DO NOTHING",
        {key.source, Sql(key.id), now.micros(), int64_t{discovered}, OptMicros(track_until)});
    if (!ins.ok()) return ins.status();
    if (ins->affected() == 1) return Status::Ok();
    Result<PgRows> upd = db_->Query(
        "UPDATE threads t SET tracking = 'active' FROM threads old "
        "WHERE t.id = old.id AND t.source = $1 AND t.source_id = $2 "
        "RETURNING old.tracking = 'active'",
        {key.source, Sql(key.id)});
    if (!upd.ok()) return upd.status();
    was_active = upd->size() == 1 && upd->Int(0, 0) != 0;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return !was_active;
}

Status PgStore::SetTracking(const ThreadKey& key, Tracking tracking) {
  Result<PgRows> w = db_->Query(
      "UPDATE threads SET tracking = $3 WHERE source = $1 AND source_id = $2",
      {key.source, Sql(key.id), std::string(TrackingName(tracking))});
  if (!w.ok()) return w.status();
  if (w->affected() == 0) return Status::NotFound("thread " + ToString(key) + " is not in the archive");
  return Status::Ok();
}

Status PgStore::SetSchedule(const ThreadKey& key, const Schedule& schedule) {
  Result<PgRows> w = db_->Query(
      "UPDATE threads SET next_due_at = $3, interval_s = $4 WHERE source = $1 AND source_id = $2",
      {key.source, Sql(key.id), schedule.next_due.micros(), schedule.interval_seconds});
  if (!w.ok()) return w.status();
  if (w->affected() == 0) return Status::NotFound("thread " + ToString(key) + " is not in the archive");
  return Status::Ok();
}

Result<model::ThreadState> PgStore::LoadState(const ThreadKey& key) {
  Result<PgRows> t = db_->Query(
      "SELECT id, title, question_author, first_archived_at IS NOT NULL, not_found_count, "
      "gone_at IS NOT NULL, version, coalesce(first_not_found_at, 0), coalesce(gone_at, 0) "
      "FROM threads WHERE source = $1 AND source_id = $2",
      {key.source, Sql(key.id)});
  if (!t.ok()) return t.status();
  if (t->size() == 0) return Status::NotFound("thread " + ToString(key) + " is not in the archive");
  model::ThreadState st;
  st.id = key.id;
  st.title = t->Text(0, 1);
  st.question_author = t->Text(0, 2);
  st.archived = t->Int(0, 3) != 0;
  st.not_found_count = static_cast<int>(t->Int(0, 4));
  st.gone = t->Int(0, 5) != 0;
  st.version = t->Int(0, 6);
  st.first_not_found_us = t->Int(0, 7);
  st.gone_at_us = t->Int(0, 8);
  Result<PgRows> a = db_->Query(
      "SELECT a.source_id, a.state, a.author_name, a.absent_count, r.number, r.content_hash, "
      "r.updated_time FROM answers a JOIN revisions r ON r.answer_id = a.id "
      "AND r.number = (SELECT MAX(number) FROM revisions WHERE answer_id = a.id) "
      "WHERE a.thread_id = $1 ORDER BY a.position, a.id",
      {t->Int(0, 0)});
  if (!a.ok()) return a.status();
  for (int i = 0; i < a->size(); ++i) {
    model::StoredAnswer s;
    s.id = static_cast<model::AnswerId>(a->Int(i, 0));
    s.state = a->Text(i, 1) == "deleted" ? model::AnswerState::kDeleted
                                         : model::AnswerState::kPresent;
    s.author_name = a->Text(i, 2);
    s.absent_count = static_cast<int>(a->Int(i, 3));
    s.latest_revision = static_cast<int>(a->Int(i, 4));
    s.content_hash = a->Text(i, 5);
    s.updated_time = a->Int(i, 6);
    st.answers.push_back(std::move(s));
  }
  return st;
}

Status PgStore::CommitRefresh(const RefreshRecord& record) {
  ARCHIVIST_RETURN_IF_ERROR(ValidateRefreshRecord(record));
  return InTransaction([&]() -> Status {
    ARCHIVIST_RETURN_IF_ERROR(CommitInTransaction(record));
    return Fault("commit");
  });
}

Status PgStore::CommitInTransaction(const RefreshRecord& r) {
  const std::string name = ToString(r.thread);
  Result<PgRows> t = db_->Query(
      "SELECT id, version FROM threads WHERE source = $1 AND source_id = $2 FOR UPDATE",
      {r.thread.source, Sql(r.thread.id)});
  if (!t.ok()) return t.status();
  if (t->size() == 0) return Status::NotFound("thread " + name + " is not in the archive");
  const int64_t thread_row = t->Int(0, 0);
  if (t->Int(0, 1) != r.changes.base_version) {
    return Status::Unavailable("thread " + name + " changed since its state was loaded " +
                               "(another refresh committed first)");
  }
  ARCHIVIST_RETURN_IF_ERROR(Fault("insert fetch"));
  Result<PgRows> f = db_->Query(
      "INSERT INTO fetches (thread_id, started_at, outcome, http_status, error_code, "
      "error_message, pages, answer_count, duration_ms) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) "
      "RETURNING id",
      {thread_row, r.fetch.started_at.micros(), std::string(model::OutcomeName(r.fetch.outcome)),
       int64_t{r.fetch.http_status}, r.fetch.error_code, r.fetch.error_message,
       int64_t{r.fetch.pages}, int64_t{r.fetch.answer_count}, r.fetch.duration_ms});
  if (!f.ok()) return f.status();
  const int64_t fetch_row = f->Int(0, 0);
  ARCHIVIST_RETURN_IF_ERROR(WriteThread(thread_row, r));
  ARCHIVIST_RETURN_IF_ERROR(WriteAnswers(thread_row, r));
  ARCHIVIST_RETURN_IF_ERROR(WriteRevisions(thread_row, fetch_row, r));
  ARCHIVIST_RETURN_IF_ERROR(WriteEvents(thread_row, fetch_row, r));
  return WriteOrder(thread_row, r);
}

Status PgStore::WriteThread(int64_t thread_row, const RefreshRecord& r) {
  const model::ThreadUpdate& u = r.changes.thread;
  ARCHIVIST_RETURN_IF_ERROR(Fault("update thread"));
  Result<PgRows> w = db_->Query(
      "UPDATE threads SET title = COALESCE($2, title), "
      "question_author = COALESCE($3, question_author), "
      "first_archived_at = CASE WHEN $4::bigint <> 0 AND first_archived_at IS NULL THEN $5 "
      "ELSE first_archived_at END, not_found_count = $6, "
      "gone_at = CASE WHEN $7::bigint <> 0 THEN COALESCE(gone_at, $5) ELSE NULL END, "
      "next_due_at = COALESCE($8, next_due_at), interval_s = COALESCE($9, interval_s), "
      "first_not_found_at = NULLIF($10::bigint, 0), version = version + 1 WHERE id = $1",
      {thread_row, u.title ? PgParam(*u.title) : PgParam(),
       u.question_author ? PgParam(*u.question_author) : PgParam(), int64_t{u.first_archive},
       r.observed_at.micros(), int64_t{u.not_found_count}, int64_t{u.gone},
       r.schedule ? PgParam(r.schedule->next_due.micros()) : PgParam(),
       r.schedule ? PgParam(r.schedule->interval_seconds) : PgParam(), u.first_not_found_us});
  return w.ok() ? Status::Ok() : w.status();
}

Status PgStore::WriteAnswers(int64_t thread_row, const RefreshRecord& r) {
  for (const model::AnswerUpdate& u : r.changes.answers) {
    ARCHIVIST_RETURN_IF_ERROR(Fault(u.is_new ? "insert answer" : "update answer"));
    Result<PgRows> w =
        u.is_new
            ? db_->Query("INSERT INTO answers (thread_id, source_id, author_name, state, "
                         "first_seen_at, last_seen_at, absent_count, position) "
                         "VALUES ($1, $2, $3, $4, $5, $5, $6, 1000000000)",
                         {thread_row, Sql(u.id), u.author_name, StateName(u.state),
                          r.observed_at.micros(), int64_t{u.absent_count}})
            : db_->Query("UPDATE answers SET author_name = $3, state = $4, absent_count = $6, "
                         "last_seen_at = CASE WHEN $7::bigint <> 0 THEN $5 ELSE last_seen_at END "
                         "WHERE thread_id = $1 AND source_id = $2",
                         {thread_row, Sql(u.id), u.author_name, StateName(u.state),
                          r.observed_at.micros(), int64_t{u.absent_count}, int64_t{u.seen}});
    if (!w.ok()) return w.status();
    if (w->affected() != 1) {
      return Status::Internal("answer " + std::to_string(u.id) + " of thread " +
                              ToString(r.thread) + " is not stored and not marked new");
    }
  }
  return Status::Ok();
}

Status PgStore::WriteRevisions(int64_t thread_row, int64_t fetch_row, const RefreshRecord& r) {
  for (const model::NewRevision& rev : r.changes.revisions) {
    Result<PgRows> find = db_->Query(
        "SELECT a.id, (SELECT COALESCE(MAX(number), 0) FROM revisions WHERE answer_id = a.id) "
        "FROM answers a WHERE a.thread_id = $1 AND a.source_id = $2",
        {thread_row, Sql(rev.answer_id)});
    if (!find.ok()) return find.status();
    if (find->size() == 0 || find->Int(0, 1) != rev.number - 1) {
      return Status::Internal("revision " + std::to_string(rev.number) + " of answer " +
                              std::to_string(rev.answer_id) +
                              " does not follow the stored ones (revision numbers are dense)");
    }
    ARCHIVIST_RETURN_IF_ERROR(Fault("insert revision"));
    Result<PgRows> ins = db_->Query(
        "INSERT INTO revisions (answer_id, number, fetch_id, observed_at, created_time, "
        "updated_time, content_hash, author_name, html_size, html_zstd, markdown, "
        "normalizer_version) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id",
        {find->Int(0, 0), int64_t{rev.number}, fetch_row, r.observed_at.micros(),
         rev.created_time, rev.updated_time, rev.content_hash, rev.author_name,
         static_cast<int64_t>(rev.html.size()), Bytes{Compress(rev.html)}, rev.markdown,
         int64_t{rev.normalizer_version}});
    if (!ins.ok()) return ins.status();
    ARCHIVIST_RETURN_IF_ERROR(WriteMediaRefs(ins->Int(0, 0), rev.image_urls));
  }
  return Status::Ok();
}

Status PgStore::WriteEvents(int64_t thread_row, int64_t fetch_row, const RefreshRecord& r) {
  for (const model::Event& e : r.changes.events) {
    const bool answer_event = e.kind != model::EventKind::kThreadAdded &&
                              e.kind != model::EventKind::kTitleChanged &&
                              e.kind != model::EventKind::kThreadGone &&
                              e.kind != model::EventKind::kThreadReturned;
    PgParam answer_row, revision_row;
    if (answer_event) {
      Result<PgRows> find = db_->Query(
          "SELECT a.id, (SELECT r.id FROM revisions r WHERE r.answer_id = a.id "
          "AND r.number = $3) FROM answers a WHERE a.thread_id = $1 AND a.source_id = $2",
          {thread_row, Sql(e.answer_id), int64_t{e.revision}});
      if (!find.ok()) return find.status();
      if (find->size() == 0 || (e.revision > 0 && find->IsNull(0, 1))) {
        return Status::Internal(std::string(model::EventKindName(e.kind)) + " event for answer " +
                                std::to_string(e.answer_id) + " revision " +
                                std::to_string(e.revision) + ", which is not stored");
      }
      answer_row = find->Int(0, 0);
      if (e.revision > 0) revision_row = find->Int(0, 1);
    }
    ARCHIVIST_RETURN_IF_ERROR(Fault("insert event"));
    Result<PgRows> ins = db_->Query(
        "INSERT INTO events (thread_id, fetch_id, at, kind, answer_id, revision_id, details) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {thread_row, fetch_row, r.observed_at.micros(),
         std::string(model::EventKindName(e.kind)), answer_row, revision_row, e.details});
    if (!ins.ok()) return ins.status();
  }
  return Status::Ok();
}

Status PgStore::WriteOrder(int64_t thread_row, const RefreshRecord& r) {
  if (!r.changes.order) return Status::Ok();
  std::string ids;
  for (model::AnswerId id : *r.changes.order) {
    if (!ids.empty()) ids += ' ';
    ids += std::to_string(id);
  }
  ARCHIVIST_RETURN_IF_ERROR(Fault("insert order"));
  Result<PgRows> ins = db_->Query(
      "INSERT INTO orders (thread_id, at, answer_ids) VALUES ($1, $2, $3)",
      {thread_row, r.observed_at.micros(), ids});
  if (!ins.ok()) return ins.status();
  int64_t index = 0;
  for (model::AnswerId id : *r.changes.order) {
    ARCHIVIST_RETURN_IF_ERROR(Fault("update position"));
    Result<PgRows> pos = db_->Query(
        "UPDATE answers SET position = $3 WHERE thread_id = $1 AND source_id = $2",
        {thread_row, Sql(id), index++});
    if (!pos.ok()) return pos.status();
  }
  return Status::Ok();
}

}  // namespace archivist::store
