// Refresher: what the daemon needs from the refresh pipeline, and nothing more.
//
// One Refresh is one refresh of one thread as docs/store.md "The refresh, as the pipeline
// calls it" describes (fetch → classify → normalize → one CommitRefresh → export). The
// daemon does not know those steps; it calls Refresh on a worker thread, logs the summary,
// counts it in /metrics and reports it to the Scheduler, then persists the next due time
// itself with Store::SetSchedule (a second, tiny transaction: a crash between the two only
// makes that thread due again early).
//
// The HotListSource is the discovery half: one poll of the source's hot list.
//
// Thread-safety: the daemon creates one Refresher and one HotListSource per worker thread
// through the factories below (each may own its own Store, HTTP client, …) and calls each
// from that thread only. Factories are called on the worker threads, again after each
// configuration reload, with the one-per-process pieces the service owns (SharedPieces).
#ifndef ARCHIVIST_DAEMON_REFRESHER_H_
#define ARCHIVIST_DAEMON_REFRESHER_H_

#include <functional>
#include <memory>

#include "base/cancel.h"
#include "base/clock.h"
#include "base/status.h"
#include "config/config.h"
#include "fetch/politeness.h"
#include "pipeline/backends.h"
#include "pipeline/pipeline.h"
#include "pipeline/source.h"
#include "pipeline/tagger.h"
#include "store/store.h"

namespace archivist::daemon {

class Refresher {
 public:
  virtual ~Refresher() = default;
  // Never fails as a whole: every failure is in the summary (the fetch's outcome, the
  // store's error, the export's error).
  virtual pipeline::RefreshSummary Refresh(const store::ThreadKey& thread) = 0;
};

using pipeline::HotListSource;

// What the service has exactly one of and lends to every refresher and hot-list source: the
// clock (ServiceOptions::clock), the politeness (per-host limits across every worker and the
// hot-list poll; the options of the start), the keyword tagger (loaded on first use) and the
// browser of the browser backend (made on first use). They outlive every worker.
struct SharedPieces {
  Clock& clock;
  fetch::Politeness& politeness;
  pipeline::SharedTagger& tagger;
  pipeline::SharedBrowser& browser;
  const CancelToken* cancel = nullptr;  // the daemon's stop; null: never cancelled
  fetch::FetchObserver* observer = nullptr;  // the daemon's FetchLog; null: nobody is told

  pipeline::SharedFetch fetch() const { return {clock, politeness, browser, cancel, observer}; }
};

using RefresherFactory = std::function<Result<std::unique_ptr<Refresher>>(
    const config::Config& config, const SharedPieces& shared)>;
using HotListFactory = std::function<Result<std::unique_ptr<HotListSource>>(
    const config::Config& config, const SharedPieces& shared)>;

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_REFRESHER_H_
