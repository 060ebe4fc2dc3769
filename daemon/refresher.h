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
// configuration reload.
#ifndef ARCHIVIST_DAEMON_REFRESHER_H_
#define ARCHIVIST_DAEMON_REFRESHER_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/config.h"
#include "model/change.h"
#include "model/model.h"
#include "store/store.h"

namespace archivist::daemon {

inline constexpr int kEventKinds = 7;  // model::EventKind values

struct RefreshResult {
  model::Outcome outcome = model::Outcome::kTransient;
  int http_status = 0;                         // 0 when no HTTP response
  std::optional<int64_t> retry_after_seconds;  // from Retry-After, when the source sent one
  std::string error;                           // why it was not complete ("" when it was)
  int pages = 0;
  int skipped_items = 0;                       // listing items that were not answers
  int answers = 0;                             // answers the snapshot carried
  std::array<int, kEventKinds> events{};       // recorded events, by model::EventKind
  std::chrono::milliseconds fetch_duration{0};  // the fetch alone (network)
  // Non-OK when storing the refresh failed (nothing of it was stored). The fetch outcome
  // above is still what the source answered.
  Status store_status;

  int event_count() const {
    int n = 0;
    for (int e : events) n += e;
    return n;
  }
  int& events_of(model::EventKind k) { return events[static_cast<int>(k)]; }
};

class Refresher {
 public:
  virtual ~Refresher() = default;
  // Never fails as a whole: every failure is an outcome or a store_status in the summary.
  virtual RefreshResult Refresh(const store::ThreadKey& thread) = 0;
};

class HotListSource {
 public:
  virtual ~HotListSource() = default;
  // The questions on the hot list now, or kUnavailable with the outcome and reason.
  virtual Result<std::vector<model::HotItem>> HotList() = 0;
};

using RefresherFactory =
    std::function<Result<std::unique_ptr<Refresher>>(const config::Config& config)>;
using HotListFactory =
    std::function<Result<std::unique_ptr<HotListSource>>(const config::Config& config)>;

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_REFRESHER_H_
