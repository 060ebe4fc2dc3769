// SqliteStore: the read side — listings, history, revisions and a thread as of a time.
//
// ThreadAtTime reconstructs a past document from the event log rather than from snapshots:
// an answer is present at T when its latest added/restored/deleted event at or before T is
// not a deletion; its text is its newest revision observed at or before T; the title is the
// details of the latest thread_added/title_changed event at or before T; the order is the
// latest order recorded at or before T (answers it does not name follow, by first sight).
#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "store/sqlite_db.h"
#include "store/sqlite_store.h"
#include "store/zstd_codec.h"

namespace archivist::store {
namespace {

int64_t Sql(uint64_t id) { return static_cast<int64_t>(id); }

std::optional<Timestamp> OptTime(const Stmt& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return Timestamp::FromMicros(s.Int(col));
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
    // The last fetch ended when its result was stamped: its events carry that time, which
    // is after its start, so a start would show a last change later than the last fetch.
    "(SELECT MAX(f.started_at + f.duration_ms * 1000, "
    "            COALESCE((SELECT MAX(e.at) FROM events e WHERE e.fetch_id = f.id), 0)) "
    " FROM fetches f WHERE f.thread_id = t.id ORDER BY f.id DESC LIMIT 1), "
    "(SELECT outcome FROM fetches f WHERE f.thread_id = t.id ORDER BY f.id DESC LIMIT 1) "
    "FROM threads t ";

ThreadSummary ReadSummary(const Stmt& s) {
  ThreadSummary t;
  t.key.source = s.Text(0);
  t.key.id = static_cast<model::QuestionId>(s.Int(1));
  t.title = s.Text(2);
  t.tracking = ParseTracking(s.Text(3));
  t.discovered = s.Int(4) != 0;
  t.track_until = OptTime(s, 5);
  t.added_at = Timestamp::FromMicros(s.Int(6));
  t.first_archived = OptTime(s, 7);
  if (!s.IsNull(8)) t.schedule = Schedule{Timestamp::FromMicros(s.Int(8)), s.Int(9)};
  t.gone = s.Int(10) != 0;
  t.last_event = OptTime(s, 11);
  t.present_answers = static_cast<int>(s.Int(12));
  t.last_fetch = OptTime(s, 13);
  t.last_outcome = s.Text(14);
  return t;
}

// "id id id" (orders.answer_ids) → each id's index.
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

}  // namespace

Result<std::vector<ThreadSummary>> SqliteStore::ListThreads() {
  Result<Stmt> q = db_->Prepare(std::string(kSummarySql) + "ORDER BY t.source, t.source_id");
  if (!q.ok()) return q.status();
  std::vector<ThreadSummary> out;
  for (;;) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    out.push_back(ReadSummary(*q));
  }
}

Result<ThreadSummary> SqliteStore::GetThread(const ThreadKey& key) {
  Result<Stmt> q =
      db_->Prepare(std::string(kSummarySql) + "WHERE t.source = ?1 AND t.source_id = ?2");
  if (!q.ok()) return q.status();
  q->Bind(1, key.source).Bind(2, Sql(key.id));
  Result<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::NotFound("thread " + ToString(key) +
                            " is not in the archive");
  }
  return ReadSummary(*q);
}

Result<std::vector<ThreadKey>> SqliteStore::DueThreads(Timestamp now, int limit) {
  Result<Stmt> q = db_->Prepare(
      "SELECT source, source_id FROM threads WHERE tracking = 'active' AND "
      "(next_due_at IS NULL OR next_due_at <= ?1) ORDER BY next_due_at IS NOT NULL, "
      "next_due_at, id LIMIT ?2");
  if (!q.ok()) return q.status();
  q->Bind(1, now.micros()).Bind(2, int64_t{limit});
  std::vector<ThreadKey> out;
  for (;;) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    out.push_back(ThreadKey{q->Text(0), static_cast<model::QuestionId>(q->Int(1))});
  }
}

Result<std::vector<EventRecord>> SqliteStore::Events(const EventQuery& query) {
  Result<int64_t> thread_row = ThreadRowId(query.thread);
  if (!thread_row.ok()) return thread_row.status();
  Result<Stmt> q = db_->Prepare(
      "SELECT e.at, e.kind, a.source_id, r.number, e.details FROM events e "
      "LEFT JOIN answers a ON a.id = e.answer_id LEFT JOIN revisions r ON r.id = e.revision_id "
      "WHERE e.thread_id = ?1 AND (?2 IS NULL OR a.source_id = ?2) AND (?3 IS NULL OR e.at >= ?3) "
      "ORDER BY e.at, e.id");
  if (!q.ok()) return q.status();
  q->Bind(1, *thread_row);
  if (query.answer) q->Bind(2, Sql(*query.answer));
  if (query.since) q->Bind(3, query.since->micros());
  std::vector<EventRecord> out;
  for (;;) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    EventRecord e;
    e.at = Timestamp::FromMicros(q->Int(0));
    const auto kind = model::ParseEventKind(q->Text(1));
    if (!kind) return Status::Corruption("unknown event kind '" + q->Text(1) + "' in " + db_->path());
    e.kind = *kind;
    e.thread = query.thread;
    if (!q->IsNull(2)) e.answer = static_cast<model::AnswerId>(q->Int(2));
    e.revision = q->IsNull(3) ? 0 : static_cast<int>(q->Int(3));
    e.details = q->Text(4);
    out.push_back(std::move(e));
  }
}

Result<std::vector<FetchRecord>> SqliteStore::FetchRecords(const ThreadKey& key) {
  Result<int64_t> thread_row = ThreadRowId(key);
  if (!thread_row.ok()) return thread_row.status();
  Result<Stmt> q = db_->Prepare(
      "SELECT started_at, outcome, http_status, error_code, error_message, pages, answer_count, "
      "duration_ms FROM fetches WHERE thread_id = ?1 ORDER BY id");
  if (!q.ok()) return q.status();
  q->Bind(1, *thread_row);
  std::vector<FetchRecord> out;
  for (;;) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    FetchRecord f;
    f.started_at = Timestamp::FromMicros(q->Int(0));
    f.outcome = model::ParseOutcome(q->Text(1)).value_or(model::Outcome::kTransient);
    f.http_status = static_cast<int>(q->Int(2));
    f.error_code = q->Text(3);
    f.error_message = q->Text(4);
    f.pages = static_cast<int>(q->Int(5));
    f.answer_count = static_cast<int>(q->Int(6));
    f.duration_ms = q->Int(7);
    out.push_back(std::move(f));
  }
}

namespace {
constexpr const char* kRevisionSql =
    "SELECT number, observed_at, created_time, updated_time, content_hash, author_name, "
    "markdown, normalizer_version, html_zstd FROM revisions WHERE answer_id = ?1 ";

RevisionRecord ReadRevision(const Stmt& s, const AnswerKey& answer, model::QuestionId question) {
  RevisionRecord r;
  r.answer = answer;
  r.question = question;
  r.number = static_cast<int>(s.Int(0));
  r.observed_at = Timestamp::FromMicros(s.Int(1));
  r.created_time = s.Int(2);
  r.updated_time = s.Int(3);
  r.content_hash = s.Text(4);
  r.author_name = s.Text(5);
  r.markdown = s.Text(6);
  r.normalizer_version = static_cast<int>(s.Int(7));
  return r;
}
}  // namespace

Result<std::vector<RevisionRecord>> SqliteStore::Revisions(const AnswerKey& answer) {
  model::QuestionId question = 0;
  Result<int64_t> answer_row = AnswerRowId(answer, &question);
  if (!answer_row.ok()) return answer_row.status();
  Result<Stmt> q = db_->Prepare(std::string(kRevisionSql) + "ORDER BY number");
  if (!q.ok()) return q.status();
  q->Bind(1, *answer_row);
  std::vector<RevisionRecord> out;
  for (;;) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    out.push_back(ReadRevision(*q, answer, question));
  }
}

Result<RevisionRecord> SqliteStore::GetRevision(const AnswerKey& answer, int number,
                                                bool with_html) {
  model::QuestionId question = 0;
  Result<int64_t> answer_row = AnswerRowId(answer, &question);
  if (!answer_row.ok()) return answer_row.status();
  Result<Stmt> q = db_->Prepare(std::string(kRevisionSql) + "AND number = ?2");
  if (!q.ok()) return q.status();
  q->Bind(1, *answer_row).Bind(2, int64_t{number});
  Result<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::NotFound("answer " + ToString(answer) +
                            " has no revision " + std::to_string(number));
  }
  RevisionRecord r = ReadRevision(*q, answer, question);
  if (with_html) {
    Result<std::string> html = Decompress(q->Blob(8));
    if (!html.ok()) return html.status().WithContext(db_->path());
    r.html = std::move(*html);
  }
  return r;
}

Result<std::string> SqliteStore::GetRevisionHtml(const AnswerKey& answer, int number) {
  Result<int64_t> answer_row = AnswerRowId(answer, nullptr);
  if (!answer_row.ok()) return answer_row.status();
  Result<Stmt> q =
      db_->Prepare("SELECT html_zstd FROM revisions WHERE answer_id = ?1 AND number = ?2");
  if (!q.ok()) return q.status();
  q->Bind(1, *answer_row).Bind(2, int64_t{number});
  Result<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::NotFound("answer " + ToString(answer) + " has no revision " +
                            std::to_string(number));
  }
  Result<std::string> html = Decompress(q->Blob(0));
  if (!html.ok()) return html.status().WithContext(db_->path());
  return html;
}

Result<ThreadAt> SqliteStore::ThreadAtTime(const ThreadKey& key, Timestamp at,
                                           bool with_markdown) {
  const std::string name = ToString(key);
  Result<Stmt> t = db_->Prepare(
      "SELECT id, first_archived_at, question_author, "
      "(SELECT details FROM events WHERE thread_id = threads.id AND at <= ?3 AND kind IN "
      "('thread_added', 'title_changed') ORDER BY at DESC, id DESC LIMIT 1), "
      "(SELECT MAX(at) FROM events WHERE thread_id = threads.id AND at <= ?3), "
      "(SELECT answer_ids FROM orders WHERE thread_id = threads.id AND at <= ?3 "
      "ORDER BY at DESC, id DESC LIMIT 1) "
      "FROM threads WHERE source = ?1 AND source_id = ?2");
  if (!t.ok()) return t.status();
  t->Bind(1, key.source).Bind(2, Sql(key.id)).Bind(3, at.micros());
  Result<bool> row = t->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("thread " + name + " is not in the archive");
  if (t->IsNull(1) || t->Int(1) > at.micros() || t->IsNull(4)) {
    return Status::NotFound("thread " + name + " was not archived yet at " + at.ToIso8601());
  }
  ThreadAt out;
  out.key = key;
  out.first_archived = Timestamp::FromMicros(t->Int(1));
  out.question_author = t->Text(2);
  out.title = t->Text(3);
  out.last_event = Timestamp::FromMicros(t->Int(4));
  const std::unordered_map<model::AnswerId, size_t> rank = ParseOrder(t->Text(5));
  Result<Stmt> a = db_->Prepare(
      std::string("SELECT a.source_id, r.number, r.author_name, ") +
      (with_markdown ? "r.markdown" : "''") + " FROM answers a "
      "JOIN revisions r ON r.answer_id = a.id AND r.number = (SELECT MAX(number) FROM revisions "
      "  WHERE answer_id = a.id AND observed_at <= ?2) "
      "WHERE a.thread_id = ?1 AND (SELECT kind FROM events e WHERE e.answer_id = a.id "
      "  AND e.at <= ?2 AND e.kind IN ('answer_added', 'answer_deleted', 'answer_restored') "
      "  ORDER BY e.at DESC, e.id DESC LIMIT 1) IN ('answer_added', 'answer_restored') "
      "ORDER BY a.first_seen_at, a.id");
  if (!a.ok()) return a.status();
  a->Bind(1, t->Int(0)).Bind(2, at.micros());
  for (;;) {
    Result<bool> r = a->Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.answers.push_back(AnswerAt{static_cast<model::AnswerId>(a->Int(0)),
                                   static_cast<int>(a->Int(1)), a->Text(2), a->Text(3)});
  }
  // Stable: answers the order does not name keep their first-seen order, after the others.
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
