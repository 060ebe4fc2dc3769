// SqliteStore: opening, tracking, and the write path of refreshes (CommitRefresh). The read
// queries are in sqlite_store_query.cc; Renormalize, Backup and the integrity check in
// sqlite_store_maintenance.cc.
//
// CommitRefresh validates the change set against the fetch outcome before touching the
// file (defence in depth for the worst bug: only a complete fetch may carry a deletion, only
// a complete or partial one may carry answers), then writes in this order inside one
// BEGIN IMMEDIATE transaction: fetch record, thread, answers, revisions, events, order. Every
// cross-reference (an event's answer and revision, a revision's number being the next one)
// is resolved and checked inside the transaction; any failure rolls everything back.
#include "store/sqlite_store.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "base/file_access.h"
#include "store/refresh_checks.h"
#include "store/schema.h"
#include "store/sqlite_db.h"
#include "store/zstd_codec.h"

namespace archivist::store {

namespace {

int64_t Sql(uint64_t id) { return static_cast<int64_t>(id); }

std::string_view StateName(model::AnswerState s) {
  return s == model::AnswerState::kPresent ? "present" : "deleted";
}

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}
SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const SqliteOptions& options) {
  return OpenWithMigrations(path, options, Migrations());
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::OpenWithMigrations(
    const std::string& path, const SqliteOptions& options,
    std::span<const Migration> migrations) {
  if (!options.create || options.read_only) {
    if (::access(path.c_str(), F_OK) != 0 && errno == ENOENT) {
      return Status::NotFound("no archive at " + path);
    }
    if (std::optional<std::string> why = CheckReadable(path)) {
      return Status::IoError("cannot read the archive " + path + ": " + *why);
    }
  }
  Result<std::unique_ptr<Db>> db = Db::Open(path, options.create, options.read_only);
  if (!db.ok()) return db.status();
  ConnectionSetup setup;
  setup.busy_timeout_ms = options.busy_timeout_ms;
  setup.synchronous_full = options.synchronous_full;
  setup.read_only = options.read_only;
  setup.max_pages = options.max_pages;
  setup.quick_check = options.check_integrity;
  ARCHIVIST_RETURN_IF_ERROR(PrepareDatabase(**db, migrations, setup));
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*db)));
}

Status SqliteStore::Fault(std::string_view operation) const {
  return fault_hook_ ? fault_hook_(operation) : Status::Ok();
}

Result<int64_t> SqliteStore::ThreadRowId(const ThreadKey& key) {
  Result<Stmt> q = db_->Prepare("SELECT id FROM threads WHERE source = ?1 AND source_id = ?2");
  if (!q.ok()) return q.status();
  q->Bind(1, key.source).Bind(2, Sql(key.id));
  Result<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("thread " + ToString(key) + " is not in the archive");
  return q->Int(0);
}

// The answer's row, under `answer.question` when given; an id under several questions with
// no question given is refused rather than resolved to one of them.
Result<int64_t> SqliteStore::AnswerRowId(const AnswerKey& answer, model::QuestionId* question) {
  Result<Stmt> q = db_->Prepare(
      "SELECT a.id, t.source_id FROM answers a JOIN threads t ON t.id = a.thread_id "
      "WHERE t.source = ?1 AND a.source_id = ?2 AND (?3 = 0 OR t.source_id = ?3) "
      "ORDER BY t.source_id LIMIT 10");
  if (!q.ok()) return q.status();
  q->Bind(1, answer.source).Bind(2, Sql(answer.id)).Bind(3, Sql(answer.question));
  const std::string name = ToString(answer);
  std::vector<std::pair<int64_t, model::QuestionId>> found;
  for (;;) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    found.emplace_back(q->Int(0), static_cast<model::QuestionId>(q->Int(1)));
  }
  if (found.empty()) {
    return Status::NotFound("answer " + name + " is not in the archive" +
                            (answer.question == 0 ? std::string()
                                                  : " under question " +
                                                        std::to_string(answer.question)));
  }
  if (found.size() > 1) {
    std::string questions;
    for (const auto& [row, q_id] : found) {
      questions += (questions.empty() ? "" : ", ") + std::to_string(q_id);
    }
    return Status::InvalidArgument("answer " + name + " is under more than one question (" +
                                   questions + "); name the question");
  }
  if (question != nullptr) *question = found[0].second;
  return found[0].first;
}

Result<bool> SqliteStore::AddThread(const ThreadKey& key, Timestamp now, bool discovered,
                                    std::optional<Timestamp> track_until) {
  Transaction txn(*db_);
  ARCHIVIST_RETURN_IF_ERROR(txn.Begin());
  Result<Stmt> q = db_->Prepare(
      "SELECT tracking FROM threads WHERE source = ?1 AND source_id = ?2");
  if (!q.ok()) return q.status();
  q->Bind(1, key.source).Bind(2, Sql(key.id));
  Result<bool> row = q->Step();
  if (!row.ok()) return row.status();
  const bool existed = *row;
  const bool was_active = existed && q->Text(0) == "active";
  Result<Stmt> w = db_->Prepare(
      existed ? "UPDATE threads SET tracking = 'active' WHERE source = ?1 AND source_id = ?2"
              : "INSERT INTO threads (source, source_id, added_at, discovered, track_until) "
                "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!w.ok()) return w.status();
  w->Bind(1, key.source).Bind(2, Sql(key.id));
  if (!existed) {
    w->Bind(3, now.micros()).Bind(4, int64_t{discovered});
    w->Bind(5, track_until ? std::optional<int64_t>(track_until->micros()) : std::nullopt);
  }
  ARCHIVIST_RETURN_IF_ERROR(w->Run());
  ARCHIVIST_RETURN_IF_ERROR(txn.Commit());
  return !was_active;
}

Status SqliteStore::SetTracking(const ThreadKey& key, Tracking tracking) {
  Result<int64_t> row = ThreadRowId(key);
  if (!row.ok()) return row.status();
  Result<Stmt> w = db_->Prepare("UPDATE threads SET tracking = ?1 WHERE id = ?2");
  if (!w.ok()) return w.status();
  w->Bind(1, TrackingName(tracking)).Bind(2, *row);
  return w->Run();
}

Status SqliteStore::SetSchedule(const ThreadKey& key, const Schedule& schedule) {
  Result<int64_t> row = ThreadRowId(key);
  if (!row.ok()) return row.status();
  Result<Stmt> w =
      db_->Prepare("UPDATE threads SET next_due_at = ?1, interval_s = ?2 WHERE id = ?3");
  if (!w.ok()) return w.status();
  w->Bind(1, schedule.next_due.micros()).Bind(2, schedule.interval_seconds).Bind(3, *row);
  return w->Run();
}

Result<model::ThreadState> SqliteStore::LoadState(const ThreadKey& key) {
  Result<Stmt> t = db_->Prepare(
      "SELECT id, title, question_author, first_archived_at IS NOT NULL, not_found_count, "
      "gone_at IS NOT NULL, version, coalesce(first_not_found_at, 0), coalesce(gone_at, 0) "
      "FROM threads WHERE source = ?1 AND source_id = ?2");
  if (!t.ok()) return t.status();
  t->Bind(1, key.source).Bind(2, Sql(key.id));
  Result<bool> row = t->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("thread " + ToString(key) + " is not in the archive");
  model::ThreadState st;
  st.id = key.id;
  st.title = t->Text(1);
  st.question_author = t->Text(2);
  st.archived = t->Int(3) != 0;
  st.not_found_count = static_cast<int>(t->Int(4));
  st.gone = t->Int(5) != 0;
  st.version = t->Int(6);
  st.first_not_found_us = t->Int(7);
  st.gone_at_us = t->Int(8);
  Result<Stmt> a = db_->Prepare(
      "SELECT a.source_id, a.state, a.author_name, a.absent_count, r.number, r.content_hash, "
      "r.updated_time FROM answers a JOIN revisions r ON r.answer_id = a.id "
      "AND r.number = (SELECT MAX(number) FROM revisions WHERE answer_id = a.id) "
      "WHERE a.thread_id = ?1 ORDER BY a.position, a.id");
  if (!a.ok()) return a.status();
  a->Bind(1, t->Int(0));
  for (;;) {
    Result<bool> r = a->Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    model::StoredAnswer s;
    s.id = static_cast<model::AnswerId>(a->Int(0));
    s.state = a->Text(1) == "deleted" ? model::AnswerState::kDeleted : model::AnswerState::kPresent;
    s.author_name = a->Text(2);
    s.absent_count = static_cast<int>(a->Int(3));
    s.latest_revision = static_cast<int>(a->Int(4));
    s.content_hash = a->Text(5);
    s.updated_time = a->Int(6);
    st.answers.push_back(std::move(s));
  }
  return st;
}

Status SqliteStore::CommitRefresh(const RefreshRecord& record) {
  ARCHIVIST_RETURN_IF_ERROR(ValidateRefreshRecord(record));
  Transaction txn(*db_);
  ARCHIVIST_RETURN_IF_ERROR(txn.Begin());
  ARCHIVIST_RETURN_IF_ERROR(CommitInTransaction(record));
  ARCHIVIST_RETURN_IF_ERROR(Fault("commit"));
  return txn.Commit();
}

Status SqliteStore::CommitInTransaction(const RefreshRecord& r) {
  const std::string name = ToString(r.thread);
  Result<Stmt> t = db_->Prepare(
      "SELECT id, version FROM threads WHERE source = ?1 AND source_id = ?2");
  if (!t.ok()) return t.status();
  t->Bind(1, r.thread.source).Bind(2, Sql(r.thread.id));
  Result<bool> row = t->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("thread " + name + " is not in the archive");
  const int64_t thread_row = t->Int(0);
  if (t->Int(1) != r.changes.base_version) {
    return Status::Unavailable("thread " + name + " changed since its state was loaded " +
                               "(another refresh committed first)");
  }
  Result<Stmt> f = db_->Prepare(
      "INSERT INTO fetches (thread_id, started_at, outcome, http_status, error_code, "
      "error_message, pages, answer_count, duration_ms) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
  if (!f.ok()) return f.status();
  f->Bind(1, thread_row).Bind(2, r.fetch.started_at.micros());
  f->Bind(3, model::OutcomeName(r.fetch.outcome)).Bind(4, int64_t{r.fetch.http_status});
  f->Bind(5, r.fetch.error_code).Bind(6, r.fetch.error_message).Bind(7, int64_t{r.fetch.pages});
  f->Bind(8, int64_t{r.fetch.answer_count}).Bind(9, r.fetch.duration_ms);
  ARCHIVIST_RETURN_IF_ERROR(Fault("insert fetch"));
  ARCHIVIST_RETURN_IF_ERROR(f->Run());
  const int64_t fetch_row = sqlite3_last_insert_rowid(db_->get());
  ARCHIVIST_RETURN_IF_ERROR(WriteThread(thread_row, r));
  ARCHIVIST_RETURN_IF_ERROR(WriteAnswers(thread_row, r));
  ARCHIVIST_RETURN_IF_ERROR(WriteRevisions(thread_row, fetch_row, r));
  ARCHIVIST_RETURN_IF_ERROR(WriteEvents(thread_row, fetch_row, r));
  return WriteOrder(thread_row, r);
}

Status SqliteStore::WriteThread(int64_t thread_row, const RefreshRecord& r) {
  const model::ThreadUpdate& u = r.changes.thread;
  Result<Stmt> w = db_->Prepare(
      "UPDATE threads SET title = COALESCE(?2, title), "
      "question_author = COALESCE(?3, question_author), "
      "first_archived_at = CASE WHEN ?4 AND first_archived_at IS NULL THEN ?5 "
      "ELSE first_archived_at END, not_found_count = ?6, "
      "gone_at = CASE WHEN ?7 THEN COALESCE(gone_at, ?5) ELSE NULL END, "
      "next_due_at = COALESCE(?8, next_due_at), interval_s = COALESCE(?9, interval_s), "
      "first_not_found_at = NULLIF(?10, 0), version = version + 1 WHERE id = ?1");
  if (!w.ok()) return w.status();
  w->Bind(1, thread_row);
  if (u.title) w->Bind(2, *u.title);
  if (u.question_author) w->Bind(3, *u.question_author);
  w->Bind(4, int64_t{u.first_archive}).Bind(5, r.observed_at.micros());
  w->Bind(6, int64_t{u.not_found_count}).Bind(7, int64_t{u.gone});
  if (r.schedule) w->Bind(8, r.schedule->next_due.micros()).Bind(9, r.schedule->interval_seconds);
  w->Bind(10, u.first_not_found_us);
  ARCHIVIST_RETURN_IF_ERROR(Fault("update thread"));
  return w->Run();
}

Status SqliteStore::WriteAnswers(int64_t thread_row, const RefreshRecord& r) {
  Result<Stmt> ins = db_->Prepare(
      "INSERT INTO answers (thread_id, source_id, author_name, state, first_seen_at, "
      "last_seen_at, absent_count, position) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, 1000000000)");
  Result<Stmt> upd = db_->Prepare(
      "UPDATE answers SET author_name = ?3, state = ?4, absent_count = ?6, "
      "last_seen_at = CASE WHEN ?7 THEN ?5 ELSE last_seen_at END "
      "WHERE thread_id = ?1 AND source_id = ?2");
  if (!ins.ok()) return ins.status();
  if (!upd.ok()) return upd.status();
  for (const model::AnswerUpdate& u : r.changes.answers) {
    Stmt& w = u.is_new ? *ins : *upd;
    ARCHIVIST_RETURN_IF_ERROR(w.Reset());
    w.Bind(1, thread_row).Bind(2, Sql(u.id)).Bind(3, u.author_name).Bind(4, StateName(u.state));
    w.Bind(5, r.observed_at.micros()).Bind(6, int64_t{u.absent_count});
    if (!u.is_new) w.Bind(7, int64_t{u.seen});
    ARCHIVIST_RETURN_IF_ERROR(Fault(u.is_new ? "insert answer" : "update answer"));
    ARCHIVIST_RETURN_IF_ERROR(w.Run());
    if (sqlite3_changes(db_->get()) != 1) {
      return Status::Internal("answer " + std::to_string(u.id) + " of thread " +
                              ToString(r.thread) + " is not stored and not marked new");
    }
  }
  return Status::Ok();
}

Status SqliteStore::WriteRevisions(int64_t thread_row, int64_t fetch_row,
                                   const RefreshRecord& r) {
  Result<Stmt> find = db_->Prepare(
      "SELECT a.id, (SELECT COALESCE(MAX(number), 0) FROM revisions WHERE answer_id = a.id) "
      "FROM answers a WHERE a.thread_id = ?1 AND a.source_id = ?2");
  Result<Stmt> ins = db_->Prepare(
      "INSERT INTO revisions (answer_id, number, fetch_id, observed_at, created_time, "
      "updated_time, content_hash, author_name, html_size, html_zstd, markdown, "
      "normalizer_version) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)");
  if (!find.ok()) return find.status();
  if (!ins.ok()) return ins.status();
  for (const model::NewRevision& rev : r.changes.revisions) {
    ARCHIVIST_RETURN_IF_ERROR(find->Reset());
    find->Bind(1, thread_row).Bind(2, Sql(rev.answer_id));
    Result<bool> row = find->Step();
    if (!row.ok()) return row.status();
    if (!*row || find->Int(1) != rev.number - 1) {
      return Status::Internal("revision " + std::to_string(rev.number) + " of answer " +
                              std::to_string(rev.answer_id) +
                              " does not follow the stored ones (revision numbers are dense)");
    }
    ARCHIVIST_RETURN_IF_ERROR(ins->Reset());
    ins->Bind(1, find->Int(0)).Bind(2, int64_t{rev.number}).Bind(3, fetch_row);
    ins->Bind(4, r.observed_at.micros()).Bind(5, rev.created_time).Bind(6, rev.updated_time);
    ins->Bind(7, rev.content_hash).Bind(8, rev.author_name);
    ins->Bind(9, static_cast<int64_t>(rev.html.size())).BindBlob(10, Compress(rev.html));
    ins->Bind(11, rev.markdown).Bind(12, int64_t{rev.normalizer_version});
    ARCHIVIST_RETURN_IF_ERROR(Fault("insert revision"));
    ARCHIVIST_RETURN_IF_ERROR(ins->Run());
    ARCHIVIST_RETURN_IF_ERROR(
        WriteMediaRefs(sqlite3_last_insert_rowid(db_->get()), rev.image_urls));
  }
  return Status::Ok();
}

Status SqliteStore::WriteEvents(int64_t thread_row, int64_t fetch_row, const RefreshRecord& r) {
  Result<Stmt> find = db_->Prepare(
      "SELECT a.id, (SELECT r.id FROM revisions r WHERE r.answer_id = a.id AND r.number = ?3) "
      "FROM answers a WHERE a.thread_id = ?1 AND a.source_id = ?2");
  Result<Stmt> ins = db_->Prepare(
      "INSERT INTO events (thread_id, fetch_id, at, kind, answer_id, revision_id, details) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!find.ok()) return find.status();
  if (!ins.ok()) return ins.status();
  for (const model::Event& e : r.changes.events) {
    ARCHIVIST_RETURN_IF_ERROR(ins->Reset());
    const bool answer_event = e.kind != model::EventKind::kThreadAdded &&
                              e.kind != model::EventKind::kTitleChanged &&
                              e.kind != model::EventKind::kThreadGone &&
                              e.kind != model::EventKind::kThreadReturned;
    if (answer_event) {
      ARCHIVIST_RETURN_IF_ERROR(find->Reset());
      find->Bind(1, thread_row).Bind(2, Sql(e.answer_id)).Bind(3, int64_t{e.revision});
      Result<bool> row = find->Step();
      if (!row.ok()) return row.status();
      if (!*row || (e.revision > 0 && find->IsNull(1))) {
        return Status::Internal(std::string(model::EventKindName(e.kind)) + " event for answer " +
                                std::to_string(e.answer_id) + " revision " +
                                std::to_string(e.revision) + ", which is not stored");
      }
      ins->Bind(5, find->Int(0));
      if (e.revision > 0) ins->Bind(6, find->Int(1));
    }
    ins->Bind(1, thread_row).Bind(2, fetch_row).Bind(3, r.observed_at.micros());
    ins->Bind(4, model::EventKindName(e.kind)).Bind(7, e.details);
    ARCHIVIST_RETURN_IF_ERROR(Fault("insert event"));
    ARCHIVIST_RETURN_IF_ERROR(ins->Run());
  }
  return Status::Ok();
}

Status SqliteStore::WriteOrder(int64_t thread_row, const RefreshRecord& r) {
  if (!r.changes.order) return Status::Ok();
  std::string ids;
  for (model::AnswerId id : *r.changes.order) {
    if (!ids.empty()) ids += ' ';
    ids += std::to_string(id);
  }
  Result<Stmt> ins =
      db_->Prepare("INSERT INTO orders (thread_id, at, answer_ids) VALUES (?1, ?2, ?3)");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, thread_row).Bind(2, r.observed_at.micros()).Bind(3, ids);
  ARCHIVIST_RETURN_IF_ERROR(Fault("insert order"));
  ARCHIVIST_RETURN_IF_ERROR(ins->Run());
  Result<Stmt> pos = db_->Prepare(
      "UPDATE answers SET position = ?3 WHERE thread_id = ?1 AND source_id = ?2");
  if (!pos.ok()) return pos.status();
  int64_t index = 0;
  for (model::AnswerId id : *r.changes.order) {
    ARCHIVIST_RETURN_IF_ERROR(pos->Reset());
    pos->Bind(1, thread_row).Bind(2, Sql(id)).Bind(3, index++);
    ARCHIVIST_RETURN_IF_ERROR(Fault("update position"));
    ARCHIVIST_RETURN_IF_ERROR(pos->Run());
  }
  return Status::Ok();
}

std::string_view TrackingName(Tracking t) {
  switch (t) {
    case Tracking::kActive: return "active";
    case Tracking::kRemoved: return "removed";
    case Tracking::kRetired: return "retired";
  }
  return "active";
}

}  // namespace archivist::store
