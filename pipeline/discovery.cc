#include "pipeline/discovery.h"

#include <set>

namespace archivist::pipeline {

Result<std::vector<DiscoveredThread>> AddDiscovered(store::Store& store,
                                                    const std::vector<model::HotItem>& items,
                                                    Timestamp now,
                                                    std::chrono::milliseconds track_for) {
  std::vector<DiscoveredThread> added;
  std::set<model::QuestionId> seen;
  const Timestamp until = Timestamp::FromMicros(now.micros() + track_for.count() * 1000);
  for (const model::HotItem& item : items) {
    if (item.question_id == 0 || !seen.insert(item.question_id).second) continue;
    const store::ThreadKey key{std::string(store::kZhihu), item.question_id};
    Result<store::ThreadSummary> known = store.GetThread(key);
    if (known.ok()) continue;
    if (known.status().code() != Status::Code::kNotFound) return known.status();
    Result<bool> ok = store.AddThread(key, now, /*discovered=*/true, until);
    if (!ok.ok()) return ok.status();
    if (*ok) added.push_back({key, until});
  }
  return added;
}

Result<bool> AddConfiguredThread(store::Store& store, const store::ThreadKey& key, Timestamp now) {
  Result<store::ThreadSummary> known = store.GetThread(key);
  if (known.ok()) return false;
  if (known.status().code() != Status::Code::kNotFound) return known.status();
  return store.AddThread(key, now);
}

}  // namespace archivist::pipeline
