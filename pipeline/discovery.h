// Discovery: questions from a hot list become tracked threads (docs/operations.md "Configure");
// and the threads of the configuration's [[thread]] list join the archive the same way.
//
// AddDiscovered adds each hot-list question the archive does not know yet as a discovered
// thread (Store::AddThread with discovered = true), tracked until now + track_for; the
// daemon's scheduler, or a one-shot refresh, retires it then (Tracking::kRetired: kept and
// queryable, no longer fetched).
// A question the archive already knows, in any tracking state (active, removed by the
// user, retired), is left exactly as it is: discovery never re-activates what a person
// removed or what already had its time.
//
// Thread-safety: a function over the Store it is given (one Store per thread).
#ifndef ARCHIVIST_PIPELINE_DISCOVERY_H_
#define ARCHIVIST_PIPELINE_DISCOVERY_H_

#include <chrono>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "model/model.h"
#include "store/store.h"

namespace archivist::pipeline {

struct DiscoveredThread {
  store::ThreadKey key;
  Timestamp track_until;
};

// Returns the threads it added, in hot-list order. Fails on the first store error (the
// threads added before it stay added; the next poll adds the rest).
Result<std::vector<DiscoveredThread>> AddDiscovered(store::Store& store,
                                                    const std::vector<model::HotItem>& items,
                                                    Timestamp now,
                                                    std::chrono::milliseconds track_for);

// Adds a thread the configuration lists ([[thread]]) when the archive has never seen it. A
// thread the archive knows, in any tracking state, is left exactly as it is: a thread
// removed with `archivist remove` stays removed however often the configuration is read.
// True when it was added.
Result<bool> AddConfiguredThread(store::Store& store, const store::ThreadKey& key, Timestamp now);

}  // namespace archivist::pipeline

#endif  // ARCHIVIST_PIPELINE_DISCOVERY_H_
