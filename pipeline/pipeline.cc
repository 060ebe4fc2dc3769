// One refresh of one thread: fetch, classify, normalize, commit, export (see pipeline.h).
//
// The fetch happens once; everything after it is repeated when the store refuses the commit
// because another writer moved the thread's version (two refreshes of one thread racing, e.g.
// `archivist refresh` beside the daemon). Probe results survive the retry, so a retry costs
// no network. The refresh time (`observed_at`) is taken once after the fetch: it stamps the
// events and revisions, and the export renders the document as of that time, which is what
// `show --at` later reproduces.
//
// Summary counts come from the committed change set, and `answers_now` from the loaded state
// with the change set's answer updates applied, so no extra query is needed.
#include "pipeline/pipeline.h"

#include <chrono>
#include <unordered_map>

#include "base/atomic_file.h"

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
  s.changed = !changes.events.empty();
  s.title = changes.thread.title ? *changes.thread.title : state.title;
  s.answers_now = PresentAfter(state, changes);
}

}  // namespace

std::string RefreshSummary::ChangeText() const {
  std::string out = "+" + std::to_string(added) + " ~" + std::to_string(edited) + " -" +
                    std::to_string(deleted);
  if (restored > 0) out += " restored " + std::to_string(restored);
  if (title_changed) out += " title changed";
  if (thread_gone) out += " thread gone";
  return out;
}

PipelineOptions PipelineOptionsOf(const config::Config& c) {
  PipelineOptions o;
  o.classify.delete_confirmations = c.schedule.delete_confirmations;
  o.normalize.image_proxy = c.zhihu.image_proxy;
  o.export_dir = c.export_dir;
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
  }
  return 0;
}

int RefreshSummary::EventCount() const {
  return added + edited + deleted + restored + title_changed + thread_added + thread_gone;
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
  store::FetchRecord fetch;
  fetch.started_at = clock_.WallNow();
  const Clock::SteadyTime start = clock_.SteadyNow();
  const model::Snapshot snapshot = source_.Fetch(thread.id);
  summary.fetch_duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.SteadyNow() - start);
  fetch.duration_ms = summary.fetch_duration.count();
  fetch.outcome = snapshot.outcome;
  fetch.http_status = snapshot.error.http_status;
  fetch.error_code = snapshot.error.code;
  fetch.error_message = snapshot.error.message;
  fetch.pages = snapshot.pages;
  fetch.answer_count = static_cast<int>(snapshot.answers.size());
  summary.outcome = snapshot.outcome;
  summary.pages = snapshot.pages;
  if (!snapshot.complete()) summary.fetch_error = snapshot.error;
  summary.retry_after_seconds = snapshot.retry_after_seconds;
  summary.observed_at = clock_.WallNow();

  diff::ProbeResults probes;
  const int attempts = options_.commit_attempts < 1 ? 1 : options_.commit_attempts;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    summary.error = ClassifyAndCommit(thread, snapshot, fetch, probes, summary);
    if (summary.error.code() != Status::Code::kUnavailable) break;
  }
  summary.committed = summary.error.ok();
  if (summary.committed && summary.changed && !options_.export_dir.empty()) Export(thread, summary);
  return summary;
}

Status Pipeline::ClassifyAndCommit(const store::ThreadKey& thread, const model::Snapshot& snapshot,
                                   const store::FetchRecord& fetch, diff::ProbeResults& probes,
                                   RefreshSummary& summary) {
  Result<model::ThreadState> state = store_.LoadState(thread);
  if (!state.ok()) return state.status();
  for (model::AnswerId id : diff::AnswersToProbe(*state, snapshot)) {
    if (!probes.count(id)) probes[id] = source_.Probe(id);
  }
  store::RefreshRecord record;
  record.thread = thread;
  record.observed_at = summary.observed_at;
  record.fetch = fetch;
  record.changes = diff::Classify(*state, snapshot, probes, options_.classify);
  for (model::NewRevision& r : record.changes.revisions) {
    r.markdown = normalize::HtmlToMarkdown(r.html, options_.normalize);
    r.normalizer_version = normalize::kNormalizerVersion;
  }
  CountChanges(*state, record.changes, summary);
  if (options_.schedule) record.schedule = options_.schedule(summary);
  return store_.CommitRefresh(record);
}

void Pipeline::Export(const store::ThreadKey& thread, RefreshSummary& summary) {
  Result<std::string> doc =
      RenderThreadAt(store_, thread, summary.observed_at, tags_, options_.normalize);
  if (!doc.ok()) {
    summary.export_error = doc.status().WithContext("rendering the export document");
    return;
  }
  const std::string path = ExportPath(options_.export_dir, thread);
  summary.export_error = WriteFileAtomically(path, *doc);
  if (summary.export_error.ok()) summary.export_path = path;
}

}  // namespace archivist::pipeline
