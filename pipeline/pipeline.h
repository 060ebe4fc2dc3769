// pipeline/pipeline: one refresh of one thread, the only place that knows the order of steps
// (docs/store.md "The refresh, as the pipeline calls it"):
//
//   1. store.LoadState(thread)                   → what the archive believes, and its version
//   2. source.Fetch(thread)                      → Snapshot (the outcome says how complete)
//   3. probes: source.Probe(id) for AnswersToProbe(state, snapshot)   (complete snapshots only)
//   4. diff::Classify(state, snapshot, probes)   → events, new revisions, state updates
//   5. normalize the new revisions only          → Markdown + kNormalizerVersion
//   6. store.CommitRefresh(...)                  ONE transaction (a failed fetch: its record only)
//   7. the media step (when set): fetch and store the thread's pending images, each result in
//      a transaction of its own — never part of the refresh's outcome (docs/media.md)
//   8. if an export dir is set and events were recorded, or the thread's file there is missing
//      or older than its latest event (an earlier export failed, the file was removed, the
//      dir is new): render the document at the refresh time and write <dir>/<question id>.md
//      atomically.
//
// The state is loaded before the fetch, so the store's version check refuses the commit when
// another refresh of the thread committed after this one's fetch began. This snapshot is then
// not known to be newer than the state it would be classified against (it may be older: a
// slow fetch that began first), so it is dropped: nothing of this refresh is stored and the
// summary says `superseded` (docs/store.md, "Concurrent refreshes of one thread"). With a
// CancelToken (the daemon stopping), the token is checked after the fetch and again before
// the commit: once it is cancelled nothing of the refresh is stored, not even its fetch
// record (the thread stays due), and the summary says `cancelled`. An export failure does not
// undo the commit: the store is the truth and the export is derived from it (`archivist
// export` rewrites it); it is reported in the summary.
//
// Thread-safety: one Pipeline per worker thread (it borrows a Source and a Store, which are
// per thread); the TagFunction must be thread-safe if shared (tags::Jieba is).
#ifndef ARCHIVIST_PIPELINE_PIPELINE_H_
#define ARCHIVIST_PIPELINE_PIPELINE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/atomic_file.h"
#include "base/cancel.h"
#include "base/clock.h"
#include "base/status.h"
#include "config/config.h"
#include "pipeline/document.h"
#include "pipeline/source.h"
#include "diff/classify.h"
#include "normalize/normalize.h"
#include "store/store.h"

namespace archivist::pipeline {

// What the media step did after a refresh (docs/media.md): never part of the refresh's
// outcome or its events.
struct MediaSummary {
  bool ran = false;  // the step ran (media archiving on, the refresh committed)
  int stored = 0;    // images fetched and stored (or found stored) by this step
  int failed = 0;    // recorded as not_found, forbidden, too_large or failed
  int retry = 0;     // transient failures, tried again at a later refresh
  int left = 0;      // due images left for the next refresh (the budget ran out; counted
                     // up to a bound, media/media_step.h kCountLeft)
  Status error;      // the archive refused a media write; the refresh stands
};

// What one refresh did: the CLI prints it; the daemon logs it, counts it in /metrics and
// schedules from it.
struct RefreshSummary {
  store::ThreadKey thread;
  std::string title;           // after the refresh ("" if never archived)
  model::Outcome outcome = model::Outcome::kTransient;
  model::FetchError fetch_error;                  // set when outcome != complete; bounded
  std::optional<int64_t> retry_after_seconds;     // from the source, for the scheduler
  Timestamp observed_at;       // the refresh time: its events' time
  int added = 0, edited = 0, deleted = 0, restored = 0;
  bool title_changed = false;
  bool thread_added = false;   // first usable snapshot
  bool thread_gone = false;    // thread_gone recorded by this refresh
  bool thread_returned = false;  // thread_returned recorded by this refresh
  int answers_now = 0;         // present answers after the refresh
  int pages = 0;               // listing pages fetched
  bool fetched = false;        // the source was asked (false: the store failed before)
  std::chrono::milliseconds fetch_duration{0};  // Source::Fetch alone (not probes, commit, export)
  int skipped_items = 0;       // listing items that were not answers (unknown card types)
  bool committed = false;      // the refresh (at least its fetch record) is stored
  bool cancelled = false;      // stopped by the CancelToken before the commit: nothing stored
  bool superseded = false;     // another refresh of the thread committed after this fetch
                               // began: this snapshot was dropped, nothing stored, no error
  bool changed = false;        // events were recorded
  std::vector<store::ChangeRecord> events;  // those events, with the thread's title unset
                                            // and each answer's author (for notifications)
  Status error;                // store failure: nothing of this refresh was stored
  std::string export_path;     // set when a document was written
  Status export_error;         // the commit stands; the export file is stale or missing
  MediaSummary media;          // the images fetched after the commit

  // "+added ~edited -deleted" plus restored / title when they happened.
  std::string ChangeText() const;
  // Events of `kind` this refresh recorded, and of every kind.
  int Count(model::EventKind kind) const;
  int EventCount() const;
  // The failing response's HTTP status; 200 for a complete listing (every page was a 200).
  int HttpStatus() const;
};

// A next due time decided within the refresh, stored in its own transaction. Called after
// Classify with the summary filled except `committed` and the export fields. `archivist
// refresh` stores no schedule, and the daemon's scheduler decides after the refresh (it
// stores its decision with Store::SetSchedule: docs/design.md).
using ScheduleDecider = std::function<std::optional<store::Schedule>(const RefreshSummary&)>;

inline constexpr size_t kMaxImagesPerRevision = 1000;

struct PipelineOptions {
  diff::ClassifyOptions classify;   // config schedule.delete_confirmations and gone_after
  normalize::Options normalize;     // image proxy (config zhihu.image_proxy)
  std::string export_dir;           // "" = no export
  unsigned export_mode = kDefaultExportMode;  // of the exported files (config export.mode)
  // After a thread's document was exported: what else goes into the export folder (the
  // viewer's Atom feeds, web/feeds.h WriteThreadFeeds). Its failure is an export failure.
  std::function<Status(store::Store&, const store::ThreadKey&, const AtomicWriteOptions&)>
      export_more;
  // Media (docs/media.md). `media_links` says which image URLs of a new revision are linked
  // to it, pending, in the refresh's transaction (empty: none are, media archiving is off).
  // `media_step` runs after every committed refresh (before the export) and fetches the
  // thread's pending images; it never changes the refresh's outcome or events.
  // At most kMaxImagesPerRevision are linked to one revision (the first ones the answer
  // shows): the HTML is the source's, and an answer of a million images must not become a
  // million rows per edit. Real answers show tens.
  std::function<bool(std::string_view url)> media_links;
  std::function<MediaSummary(store::Store&, const store::ThreadKey&)> media_step;
  ScheduleDecider schedule;         // may be empty: no schedule is stored
  const CancelToken* cancel = nullptr;  // borrowed; null: never cancelled
};

// The options of the configuration: schedule.delete_confirmations, zhihu.image_proxy,
// export.dir, export.mode.
PipelineOptions PipelineOptionsOf(const config::Config& config);

class Pipeline {
 public:
  // Borrows everything for its lifetime. `tags` may be empty: documents get no tags.
  Pipeline(Source& source, store::Store& store, Clock& clock, TagFunction tags,
           PipelineOptions options);

  // One refresh of `thread`, which must be in the store (AddThread). Never throws; every
  // failure is in the summary (outcome for the fetch, error for the store, export_error).
  RefreshSummary Refresh(const store::ThreadKey& thread);

  // Without a fetch: writes the thread's export file when an export dir is set and the file
  // is missing or older than the thread's latest event (export.dir set or changed since,
  // the file removed), rendering the document as of now. Returns the path written ("" when
  // the file was current, or no export is set); the error names the thread's file.
  Result<std::string> ExportIfStale(const store::ThreadKey& thread);

 private:
  Status ClassifyAndCommit(const store::ThreadKey& thread, const model::ThreadState& state,
                           model::Snapshot& snapshot, const store::FetchRecord& fetch,
                           RefreshSummary& summary);
  bool Superseded(const store::ThreadKey& thread, const model::ThreadState& state,
                  const Status& commit, RefreshSummary& summary);
  void Export(const store::ThreadKey& thread, RefreshSummary& summary);
  bool ExportIsStale(const store::ThreadKey& thread);

  Source& source_;
  store::Store& store_;
  Clock& clock_;
  TagFunction tags_;
  PipelineOptions options_;
};

}  // namespace archivist::pipeline

#endif  // ARCHIVIST_PIPELINE_PIPELINE_H_
