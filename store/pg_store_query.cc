// PgStore: the read side — listings, history, revisions, a thread as of a time, and Changes.
// The queries are SqliteStore's (sqlite_store_query.cc explains ThreadAtTime's reconstruction
// from the event log) in PostgreSQL's dialect: GREATEST for SQLite's two-argument MAX, and
// explicit parameter types where PostgreSQL cannot infer them.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <unordered_map>

#include "store/change_query.h"
#include "store/pg_conn.h"
#include "store/pg_store.h"
#include "store/zstd_codec.h"

namespace archivist::store {
namespace {

int64_t Sql(uint64_t id) { return static_cast<int64_t>(id); }

std::optional<Timestamp> OptTime(const PgRows& s, int row, int col) {
  if (s.IsNull(row, col)) return std::nullopt;
  return Timestamp::FromMicros(s.Int(row, col));
}

Tracking ParseTracking(const std::string& s) {
  if (s == "removed") return Tracking::kRemoved;
  if (s == "retired") return Tracking::kRetired;
  return Tracking::kActive;
}

constexpr const char* kSummarySql =
    "SELECT t.source, t.source_id, t.title, t.tracking, t.discovered, t.track_until, "
    "t.added_at, t.first_archived_at, t.next_due_at, t.interval_s, t.gone_at IS NOT NULL, "
    "(SELECT MAX(at) FROM events e WHERE e.thread_id = t.id), "
    "(SELECT count(*) FROM answers a WHERE a.thread_id = t.id AND a.state = 'present'), "
    "(SELECT GREATEST(f.started_at + f.duration_ms * 1000, "
    "            COALESCE((SELECT MAX(e.at) FROM events e WHERE e.fetch_id = f.id), 0)) "
    " FROM fetches f WHERE f.thread_id = t.id ORDER BY f.id DESC LIMIT 1), "
    "(SELECT outcome FROM fetches f WHERE f.thread_id = t.id ORDER BY f.id DESC LIMIT 1) "
    "FROM threads t ";

ThreadSummary ReadSummary(const PgRows& s, int i) {
  ThreadSummary t;
  t.key.source = s.Text(i, 0);
  t.key.id = static_cast<model::QuestionId>(s.Int(i, 1));
  t.title = s.Text(i, 2);
  t.tracking = ParseTracking(s.Text(i, 3));
  t.discovered = s.Int(i, 4) != 0;
  t.track_until = OptTime(s, i, 5);
  t.added_at = Timestamp::FromMicros(s.Int(i, 6));
  t.first_archived = OptTime(s, i, 7);
  if (!s.IsNull(i, 8)) t.schedule = Schedule{Timestamp::FromMicros(s.Int(i, 8)), s.Int(i, 9)};
  t.gone = s.Int(i, 10) != 0;
  t.last_event = OptTime(s, i, 11);
  t.present_answers = static_cast<int>(s.Int(i, 12));
  t.last_fetch = OptTime(s, i, 13);
  t.last_outcome = s.Text(i, 14);
  return t;
}

std::unordered_map<model::AnswerId, size_t> ParseOrder(const std::string& ids) {
  std::unordered_map<model::AnswerId, size_t> rank;
  size_t pos = 0;
  while (pos < ids.size()) {
    size_t end = ids.find(' ', pos);
    if (end == std::string::npos) end = ids.size();
    model::AnswerId id = 0;
    std::from_chars(ids.data() + pos, ids.data() + end, id);  // our own text: digits only
    rank.emplace(id, rank.size());
    pos = end + 1;
  }
  return rank;
}

constexpr const char* kRevisionSql =
    "SELECT number, observed_at, created_time, updated_time, content_hash, author_name, "
    "markdown, normalizer_version, html_zstd FROM revisions WHERE answer_id = $1 ";

RevisionRecord ReadRevision(const PgRows& s, int i, const AnswerKey& answer,
                            model::QuestionId question) {
  RevisionRecord r;
  r.answer = answer;
  r.question = question;
  r.number = static_cast<int>(s.Int(i, 0));
  r.observed_at = Timestamp::FromMicros(s.Int(i, 1));
  r.created_time = s.Int(i, 2);
  r.updated_time = s.Int(i, 3);
  r.content_hash = s.Text(i, 4);
  r.author_name = s.Text(i, 5);
  r.markdown = s.Text(i, 6);
  r.normalizer_version = static_cast<int>(s.Int(i, 7));
  return r;
}

}  // namespace

Result<std::vector<ThreadSummary>> PgStore::ListThreads() {
  Result<PgRows> q = db_->Query(std::string(kSummarySql) + "ORDER BY t.source, t.source_id");
  if (!q.ok()) return q.status();
  std::vector<ThreadSummary> out;
  for (int i = 0; i < q->size(); ++i) out.push_back(ReadSummary(*q, i));
  return out;
}

Result<ThreadSummary> PgStore::GetThread(const ThreadKey& key) {
  Result<PgRows> q = db_->Query(std::string(kSummarySql) +
                                    "WHERE t.source = $1 AND t.source_id = $2",
                                {key.source, Sql(key.id)});
  if (!q.ok()) return q.status();
  if (q->size() == 0) return Status::NotFound("thread " + ToString(key) + " is not in the archive");
  return ReadSummary(*q, 0);
}

Result<std::vector<ThreadKey>> PgStore::DueThreads(Timestamp now, int limit) {
  Result<PgRows> q = db_->Query(
      "SELECT source, source_id FROM threads WHERE tracking = 'active' AND "
      "(next_due_at IS NULL OR next_due_at <= $1) ORDER BY next_due_at IS NOT NULL, "
      "next_due_at, id LIMIT $2",
      {now.micros(), int64_t{limit}});
  if (!q.ok()) return q.status();
  std::vector<ThreadKey> out;
  for (int i = 0; i < q->size(); ++i) {
    out.push_back(ThreadKey{q->Text(i, 0), static_cast<model::QuestionId>(q->Int(i, 1))});
  }
  return out;
}

Result<std::vector<EventRecord>> PgStore::Events(const EventQuery& query) {
  Result<int64_t> thread_row = ThreadRowId(query.thread);
  if (!thread_row.ok()) return thread_row.status();
  Result<PgRows> q = db_->Query(
      "SELECT e.at, e.kind, a.source_id, r.number, e.details FROM events e "
      "LEFT JOIN answers a ON a.id = e.answer_id LEFT JOIN revisions r ON r.id = e.revision_id "
      "WHERE e.thread_id = $1 AND ($2::bigint IS NULL OR a.source_id = $2) "
      "AND ($3::bigint IS NULL OR e.at >= $3) ORDER BY e.at, e.id",
      {*thread_row, query.answer ? PgParam(Sql(*query.answer)) : PgParam(),
       query.since ? PgParam(query.since->micros()) : PgParam()});
  if (!q.ok()) return q.status();
  std::vector<EventRecord> out;
  for (int i = 0; i < q->size(); ++i) {
    EventRecord e;
    e.at = Timestamp::FromMicros(q->Int(i, 0));
    const auto kind = model::ParseEventKind(q->Text(i, 1));
    if (!kind) {
      return Status::Corruption("unknown event kind '" + q->Text(i, 1) + "' in " + db_->name());
    }
    e.kind = *kind;
    e.thread = query.thread;
    if (!q->IsNull(i, 2)) e.answer = static_cast<model::AnswerId>(q->Int(i, 2));
    e.revision = q->IsNull(i, 3) ? 0 : static_cast<int>(q->Int(i, 3));
    e.details = q->Text(i, 4);
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

// The rows of a query over kChangeColumns, as ChangeRecords.
Result<std::vector<ChangeRecord>> ReadChanges(const PgRows& q, const std::string& name) {
  std::vector<ChangeRecord> out;
  for (int i = 0; i < q.size(); ++i) {
    ChangeRecord c;
    c.event.at = Timestamp::FromMicros(q.Int(i, 0));
    const auto kind = model::ParseEventKind(q.Text(i, 1));
    if (!kind) {
      return Status::Corruption("unknown event kind '" + q.Text(i, 1) + "' in " + name);
    }
    c.event.kind = *kind;
    c.event.thread = ThreadKey{q.Text(i, 2), static_cast<model::QuestionId>(q.Int(i, 3))};
    c.title = q.Text(i, 4);
    if (!q.IsNull(i, 5)) c.event.answer = static_cast<model::AnswerId>(q.Int(i, 5));
    c.event.revision = q.IsNull(i, 6) ? 0 : static_cast<int>(q.Int(i, 6));
    c.author = q.Text(i, 7);
    c.event.details = q.Text(i, 8);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Result<std::vector<ChangeRecord>> PgStore::Changes(Timestamp since) {
  Result<PgRows> q = db_->Query(std::string(kChangeColumns) + "WHERE e.at >= $1 ORDER BY e.at, e.id",
                                {since.micros()});
  if (!q.ok()) return q.status();
  return ReadChanges(*q, db_->name());
}

Result<std::vector<ChangeRecord>> PgStore::LatestChanges(size_t count) {
  Result<PgRows> q = db_->Query("SELECT * FROM (" + std::string(kChangeColumns) +
                                    "ORDER BY e.at DESC, e.id DESC LIMIT $1) AS newest "
                                    "ORDER BY 1, 10",
                                {static_cast<int64_t>(std::min<size_t>(count, INT64_MAX))});
  if (!q.ok()) return q.status();
  return ReadChanges(*q, db_->name());
}

Result<std::vector<FetchRecord>> PgStore::FetchRecords(const ThreadKey& key) {
  Result<int64_t> thread_row = ThreadRowId(key);
  if (!thread_row.ok()) return thread_row.status();
  Result<PgRows> q = db_->Query(
      "SELECT started_at, outcome, http_status, error_code, error_message, pages, answer_count, "
      "duration_ms FROM fetches WHERE thread_id = $1 ORDER BY id",
      {*thread_row});
  if (!q.ok()) return q.status();
  std::vector<FetchRecord> out;
  for (int i = 0; i < q->size(); ++i) {
    FetchRecord f;
    f.started_at = Timestamp::FromMicros(q->Int(i, 0));
    f.outcome = model::ParseOutcome(q->Text(i, 1)).value_or(model::Outcome::kTransient);
    f.http_status = static_cast<int>(q->Int(i, 2));
    f.error_code = q->Text(i, 3);
    f.error_message = q->Text(i, 4);
    f.pages = static_cast<int>(q->Int(i, 5));
    f.answer_count = static_cast<int>(q->Int(i, 6));
    f.duration_ms = q->Int(i, 7);
    out.push_back(std::move(f));
  }
  return out;
}

Result<std::vector<RevisionRecord>> PgStore::Revisions(const AnswerKey& answer) {
  model::QuestionId question = 0;
  Result<int64_t> answer_row = AnswerRowId(answer, &question);
  if (!answer_row.ok()) return answer_row.status();
  // Without html_zstd: the listing never reads the (large) raw HTML.
  Result<PgRows> q = db_->Query(
      "SELECT number, observed_at, created_time, updated_time, content_hash, author_name, "
      "markdown, normalizer_version FROM revisions WHERE answer_id = $1 ORDER BY number",
      {*answer_row});
  if (!q.ok()) return q.status();
  std::vector<RevisionRecord> out;
  for (int i = 0; i < q->size(); ++i) out.push_back(ReadRevision(*q, i, answer, question));
  return out;
}

Result<RevisionRecord> PgStore::GetRevision(const AnswerKey& answer, int number, bool with_html) {
  model::QuestionId question = 0;
  Result<int64_t> answer_row = AnswerRowId(answer, &question);
  if (!answer_row.ok()) return answer_row.status();
  Result<PgRows> q = db_->Query(std::string(kRevisionSql) + "AND number = $2",
                                {*answer_row, int64_t{number}});
  if (!q.ok()) return q.status();
  if (q->size() == 0) {
    return Status::NotFound("answer " + ToString(answer) + " has no revision " +
                            std::to_string(number));
  }
  RevisionRecord r = ReadRevision(*q, 0, answer, question);
  if (with_html) {
    Result<std::string> html = Decompress(q->Bytea(0, 8));
    if (!html.ok()) return html.status().WithContext(db_->name());
    r.html = std::move(*html);
  }
  return r;
}

Result<std::string> PgStore::GetRevisionHtml(const AnswerKey& answer, int number) {
  Result<int64_t> answer_row = AnswerRowId(answer, nullptr);
  if (!answer_row.ok()) return answer_row.status();
  Result<PgRows> q = db_->Query(
      "SELECT html_zstd FROM revisions WHERE answer_id = $1 AND number = $2",
      {*answer_row, int64_t{number}});
  if (!q.ok()) return q.status();
  if (q->size() == 0) {
    return Status::NotFound("answer " + ToString(answer) + " has no revision " +
                            std::to_string(number));
  }
  Result<std::string> html = Decompress(q->Bytea(0, 0));
  if (!html.ok()) return html.status().WithContext(db_->name());
  return html;
}

Result<ThreadAt> PgStore::ThreadAtTime(const ThreadKey& key, Timestamp at, bool with_markdown) {
  const std::string name = ToString(key);
  Result<PgRows> t = db_->Query(
      "SELECT id, first_archived_at, question_author, "
      "(SELECT details FROM events WHERE thread_id = threads.id AND at <= $3 AND kind IN "
      "('thread_added', 'title_changed') ORDER BY at DESC, id DESC LIMIT 1), "
      "(SELECT MAX(at) FROM events WHERE thread_id = threads.id AND at <= $3), "
      "(SELECT answer_ids FROM orders WHERE thread_id = threads.id AND at <= $3 "
      "ORDER BY at DESC, id DESC LIMIT 1) "
      "FROM threads WHERE source = $1 AND source_id = $2",
      {key.source, Sql(key.id), at.micros()});
  if (!t.ok()) return t.status();
  if (t->size() == 0) return Status::NotFound("thread " + name + " is not in the archive");
  if (t->IsNull(0, 1) || t->Int(0, 1) > at.micros() || t->IsNull(0, 4)) {
    return Status::NotFound("thread " + name + " was not archived yet at " + at.ToIso8601());
  }
  ThreadAt out;
  out.key = key;
  out.first_archived = Timestamp::FromMicros(t->Int(0, 1));
  out.question_author = t->Text(0, 2);
  out.title = t->Text(0, 3);
  out.last_event = Timestamp::FromMicros(t->Int(0, 4));
  const std::unordered_map<model::AnswerId, size_t> rank = ParseOrder(t->Text(0, 5));
  Result<PgRows> a = db_->Query(
      std::string("SELECT a.source_id, r.number, r.author_name, ") +
          (with_markdown ? "r.markdown" : "''") + " FROM answers a "
          "JOIN revisions r ON r.answer_id = a.id AND r.number = (SELECT MAX(number) FROM "
          "  revisions WHERE answer_id = a.id AND observed_at <= $2) "
          "WHERE a.thread_id = $1 AND (SELECT kind FROM events e WHERE e.answer_id = a.id "
          "  AND e.at <= $2 AND e.kind IN ('answer_added', 'answer_deleted', 'answer_restored') "
          "  ORDER BY e.at DESC, e.id DESC LIMIT 1) IN ('answer_added', 'answer_restored') "
          "ORDER BY a.first_seen_at, a.id",
      {t->Int(0, 0), at.micros()});
  if (!a.ok()) return a.status();
  for (int i = 0; i < a->size(); ++i) {
    out.answers.push_back(AnswerAt{static_cast<model::AnswerId>(a->Int(i, 0)),
                                   static_cast<int>(a->Int(i, 1)), a->Text(i, 2), a->Text(i, 3)});
  }
  std::stable_sort(out.answers.begin(), out.answers.end(),
                   [&](const AnswerAt& x, const AnswerAt& y) {
                     const auto rx = rank.find(x.id), ry = rank.find(y.id);
                     const size_t ix = rx == rank.end() ? rank.size() : rx->second;
                     const size_t iy = ry == rank.end() ? rank.size() : ry->second;
                     return ix < iy;
                   });
  return out;
}

}  // namespace archivist::store
