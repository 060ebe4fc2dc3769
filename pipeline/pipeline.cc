// One refresh of one thread: fetch, classify, normalize, commit, export (see pipeline.h).
//
// The state is loaded before the fetch and the change set carries its version, so a commit
// is refused when another refresh of the same thread (e.g. `archivist refresh` beside the
// daemon) committed after this fetch began. That snapshot is dropped, never re-classified
// against the newer state: a slow fetch that began first may hold older content, and
// classifying it against a newer state would record its stale text as a new edit and, on
// the next refresh, a phantom edit back. The refresh time (`observed_at`) is taken once after
// the fetch: it stamps the events and revisions, and the export renders the document as of
// that time, which is what `show --at` later reproduces.
//
// Summary counts come from the committed change set, and `answers_now` from the loaded state
// with the change set's answer updates applied, so no extra query is needed.
//
// Memory: a new revision carries a copy of its answer's HTML; while it is normalized and
// committed, the snapshot's own copy is released, so that a large answer is held once beside
// its parsed tree and its Markdown.
#include "pipeline/pipeline.h"

#include <sys/stat.h>

#include <chrono>
#include <unordered_map>

#include "base/atomic_file.h"
#include "base/bounded_text.h"

namespace archivist::pipeline {
namespace {

int PresentAfter(const model::ThreadState& state, const model::ChangeSet& changes) {
  std::unordered_map<model::AnswerId, model::AnswerState> states;
  for (const model::StoredAnswer& a : state.answers) states[a.id] = a.state;
  for (const model::AnswerUpdate& u : changes.answers) states[u.id] = u.state;
  int present = 0;
  for (const auto& [id, s] : states) present += s == model::AnswerState::kPresent;
  return present;
}

// Releases the snapshot's HTML of every answer that has a new revision (the revision holds a
// copy).
void ReleaseRevisedContent(model::Snapshot& snapshot, const model::ChangeSet& changes) {
  std::unordered_map<model::AnswerId, model::Answer*> by_id;
  for (model::Answer& a : snapshot.answers) by_id[a.id] = &a;
  for (const model::NewRevision& r : changes.revisions) {
    auto it = by_id.find(r.answer_id);
    if (it != by_id.end()) std::string().swap(it->second->content_html);
  }
}

// The events as the store will hold them, each with its answer's author: the revision's when
// the event has one, else the answer's latest.
std::vector<store::ChangeRecord> EventsOf(const model::ThreadState& state,
                                          const model::ChangeSet& changes,
                                          const RefreshSummary& s) {
  std::vector<store::ChangeRecord> out;
  for (const model::Event& e : changes.events) {
    store::ChangeRecord c;
    c.event = {s.observed_at, e.kind, s.thread, std::nullopt, e.revision, e.details};
    if (e.answer_id != 0) {
      c.event.answer = e.answer_id;
      for (const model::StoredAnswer& a : state.answers) {
        if (a.id == e.answer_id) c.author = a.author_name;
      }
      for (const model::AnswerUpdate& a : changes.answers) {
        if (a.id == e.answer_id && !a.author_name.empty()) c.author = a.author_name;
      }
      for (const model::NewRevision& r : changes.revisions) {
        if (r.answer_id == e.answer_id && r.number == e.revision) c.author = r.author_name;
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

void CountChanges(const model::ThreadState& state, const model::ChangeSet& changes,
                  RefreshSummary& s) {
  using model::EventKind;
  s.added = changes.Count(EventKind::kAnswerAdded);
  s.edited = changes.Count(EventKind::kAnswerEdited);
  s.deleted = changes.Count(EventKind::kAnswerDeleted);
  s.restored = changes.Count(EventKind::kAnswerRestored);
  s.title_changed = changes.Count(EventKind::kTitleChanged) > 0;
  s.thread_added = changes.Count(EventKind::kThreadAdded) > 0;
  s.thread_gone = changes.Count(EventKind::kThreadGone) > 0;
  s.thread_returned = changes.Count(EventKind::kThreadReturned) > 0;
  s.changed = !changes.events.empty();
  s.title = changes.thread.title ? *changes.thread.title : state.title;
  s.answers_now = PresentAfter(state, changes);
  s.events = EventsOf(state, changes, s);
}

// The error as stored and reported: whatever the source, its strings came from a server.
model::FetchError Bounded(model::FetchError e) {
  e.code = BoundText(e.code, 64);
  e.message = BoundText(e.message);
  return e;
}

}  // namespace

std::string RefreshSummary::ChangeText() const {
  std::string out = "+" + std::to_string(added) + " ~" + std::to_string(edited) + " -" +
                    std::to_string(deleted);
  if (restored > 0) out += " restored " + std::to_string(restored);
  if (title_changed) out += " title changed";
  if (thread_gone) out += " thread gone";
  if (thread_returned) out += " thread returned";
  return out;
}

PipelineOptions PipelineOptionsOf(const config::Config& c) {
  PipelineOptions o;
  o.classify.delete_confirmations = c.schedule.delete_confirmations;
  o.classify.gone_after_us =
      std::chrono::duration_cast<std::chrono::microseconds>(c.schedule.gone_after).count();
  o.normalize.image_proxy = c.zhihu.image_proxy;
  o.export_dir = c.export_dir;
  o.export_mode = c.export_mode;
  return o;
}

int RefreshSummary::Count(model::EventKind kind) const {
  using model::EventKind;
  switch (kind) {
    case EventKind::kThreadAdded: return thread_added ? 1 : 0;
    case EventKind::kTitleChanged: return title_changed ? 1 : 0;
    case EventKind::kAnswerAdded: return added;
    case EventKind::kAnswerEdited: return edited;
    case EventKind::kAnswerDeleted: return deleted;
    case EventKind::kAnswerRestored: return restored;
    case EventKind::kThreadGone: return thread_gone ? 1 : 0;
    case EventKind::kThreadReturned: return thread_returned ? 1 : 0;
  }
  return 0;
}

int RefreshSummary::EventCount() const {
  return added + edited + deleted + restored + title_changed + thread_added + thread_gone +
         thread_returned;
}

int RefreshSummary::HttpStatus() const {
  if (outcome == model::Outcome::kComplete && fetch_error.http_status == 0) return 200;
  return fetch_error.http_status;
}

Pipeline::Pipeline(Source& source, store::Store& store, Clock& clock, TagFunction tags,
                   PipelineOptions options)
    : source_(source), store_(store), clock_(clock), tags_(std::move(tags)),
      options_(std::move(options)) {}

RefreshSummary Pipeline::Refresh(const store::ThreadKey& thread) {
  RefreshSummary summary;
  summary.thread = thread;
  const Result<model::ThreadState> state = store_.LoadState(thread);
  if (!state.ok()) {
    summary.error = state.status();
    return summary;
  }
  store::FetchRecord fetch;
  fetch.started_at = clock_.WallNow();
  const Clock::SteadyTime start = clock_.SteadyNow();
  model::Snapshot snapshot = source_.Fetch(thread.id);
  summary.fetched = true;
  summary.fetch_duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.SteadyNow() - start);
  fetch.duration_ms = summary.fetch_duration.count();
  const model::FetchError error = Bounded(snapshot.error);
  fetch.outcome = snapshot.outcome;
  fetch.http_status = error.http_status;
  fetch.error_code = error.code;
  fetch.error_message = error.message;
  fetch.pages = snapshot.pages;
  fetch.answer_count = static_cast<int>(snapshot.answers.size());
  summary.outcome = snapshot.outcome;
  summary.pages = snapshot.pages;
  summary.skipped_items = snapshot.skipped_items;
  if (!snapshot.complete()) summary.fetch_error = error;
  summary.retry_after_seconds = snapshot.retry_after_seconds;
  summary.observed_at = clock_.WallNow();

  const Status commit = ClassifyAndCommit(thread, *state, snapshot, fetch, summary);
  if (summary.cancelled || !Superseded(thread, *state, commit, summary)) summary.error = commit;
  summary.committed = commit.ok();
  if (summary.committed && options_.media_step && !Cancelled(options_.cancel)) {
    summary.media = options_.media_step(store_, thread);
    summary.media.ran = true;
  }
  if (summary.committed && !options_.export_dir.empty() &&
      (summary.changed || ExportIsStale(thread))) {
    Export(thread, summary);
  }
  return summary;
}

Status Pipeline::ClassifyAndCommit(const store::ThreadKey& thread, const model::ThreadState& state,
                                   model::Snapshot& snapshot,
                                   const store::FetchRecord& fetch, RefreshSummary& summary) {
  const auto cancelled = [&] {
    summary.cancelled = true;
    return Status::Unavailable("the refresh was cancelled before its commit (shutting down): "
                               "nothing of it was stored");
  };
  if (Cancelled(options_.cancel)) return cancelled();
  diff::ProbeResults probes;
  for (model::AnswerId id : diff::AnswersToProbe(state, snapshot)) probes[id] = source_.Probe(id);
  store::RefreshRecord record;
  record.thread = thread;
  record.observed_at = summary.observed_at;
  record.fetch = fetch;
  record.changes =
      diff::Classify(state, snapshot, probes, options_.classify, summary.observed_at);
  ReleaseRevisedContent(snapshot, record.changes);
  for (model::NewRevision& r : record.changes.revisions) {
    // The image links first: their parse of the HTML then never overlaps the Markdown the
    // converter returns (a 30 MiB answer's peak is one parse, not a parse and a document).
    if (options_.media_links) {
      for (std::string& url : normalize::ImageUrls(r.html)) {
        if (r.image_urls.size() >= kMaxImagesPerRevision) break;
        if (options_.media_links(url)) r.image_urls.push_back(std::move(url));
      }
    }
    r.markdown = normalize::HtmlToMarkdown(r.html, options_.normalize);
    r.normalizer_version = normalize::kNormalizerVersion;
  }
  // A probe cut short by the stop says nothing, and the stop should not wait for a commit.
  if (Cancelled(options_.cancel)) return cancelled();
  CountChanges(state, record.changes, summary);
  if (options_.schedule) record.schedule = options_.schedule(summary);
  return store_.CommitRefresh(record);
}

// kUnavailable is also "the archive is busy" (the lock wait timed out): only a moved version
// means another refresh committed. Then the summary describes what is stored: nothing new.
bool Pipeline::Superseded(const store::ThreadKey& thread, const model::ThreadState& state,
                          const Status& commit, RefreshSummary& summary) {
  if (commit.code() != Status::Code::kUnavailable) return false;
  const Result<model::ThreadState> now = store_.LoadState(thread);
  if (!now.ok() || now->version == state.version) return false;
  const RefreshSummary fetched = summary;
  summary = RefreshSummary{};
  summary.thread = fetched.thread;
  summary.outcome = fetched.outcome;
  summary.fetch_error = fetched.fetch_error;
  summary.retry_after_seconds = fetched.retry_after_seconds;
  summary.observed_at = fetched.observed_at;
  summary.pages = fetched.pages;
  summary.fetch_duration = fetched.fetch_duration;
  summary.superseded = true;
  CountChanges(*now, {}, summary);
  return true;
}

// An export that failed is not lost: the file is missing or older than the thread's latest
// event, and the thread's next refresh writes it, changed or not. (A coarse file-system clock
// or a clock set back can only cause an extra write of the same document.)
bool Pipeline::ExportIsStale(const store::ThreadKey& thread) {
  const Result<store::ThreadSummary> t = store_.GetThread(thread);
  if (!t.ok() || !t->last_event) return false;
  struct stat st {};
  if (::stat(ExportPath(options_.export_dir, thread).c_str(), &st) != 0) return true;
  const int64_t mtime_us = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000 +
                           st.st_mtim.tv_nsec / 1'000;
  return mtime_us < t->last_event->micros();
}

Result<std::string> Pipeline::ExportIfStale(const store::ThreadKey& thread) {
  if (options_.export_dir.empty() || !ExportIsStale(thread)) return std::string();
  RefreshSummary summary;
  summary.observed_at = clock_.WallNow();
  Export(thread, summary);
  if (!summary.export_error.ok()) return summary.export_error;
  return summary.export_path;
}

void Pipeline::Export(const store::ThreadKey& thread, RefreshSummary& summary) {
  Result<std::string> doc =
      RenderThreadAt(store_, thread, summary.observed_at, tags_, options_.normalize);
  if (!doc.ok()) {
    summary.export_error = doc.status().WithContext("rendering the export document");
    return;
  }
  const std::string path = ExportPath(options_.export_dir, thread);
  AtomicWriteOptions write;
  write.keep = store_.Files();  // never the archive itself, under any name
  write.mode = options_.export_mode;
  summary.export_error = WriteFileAtomically(path, *doc, write);
  if (summary.export_error.ok()) summary.export_path = path;
  if (summary.export_error.ok() && options_.export_more) {
    summary.export_error = options_.export_more(store_, thread, write);
  }
}

}  // namespace archivist::pipeline
