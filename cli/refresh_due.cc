#include "cli/refresh_due.h"

#include <string>

#include "cli/archive.h"
#include "pipeline/standalone.h"

namespace archivist::cli {
namespace {

// The [[thread]]s the archive has never seen are added (pipeline/discovery.h: a removal
// sticks).
Status AddNewConfigThreads(const config::Config& config, store::Store& archive, Timestamp now) {
  for (const config::ThreadEntry& t : config.threads) {
    Result<store::ThreadKey> key = ParseQuestion(t.url);
    if (!key.ok()) continue;  // checked when the configuration was loaded
    Result<bool> added = pipeline::AddConfiguredThread(archive, *key, now);
    if (!added.ok()) return added.status();
  }
  return Status::Ok();
}

// The hot-list step; false when the poll failed (said on stderr).
Result<bool> Discover(const config::Config& config, store::Store& archive,
                      pipeline::HotListSource& hot_list, Timestamp now) {
  if (!config.discovery.zhihu_hot) return true;
  Result<pipeline::HotListPoll> poll = pipeline::PollHotListIfDue(
      hot_list, archive, now, config.discovery, pipeline::HotListStampPath(config.store_path));
  if (!poll.ok()) return poll.status();
  if (!poll->polled) return true;
  for (const pipeline::DiscoveredThread& d : poll->added) {
    std::fprintf(stderr, "archivist refresh: discovered %s on the hot list: tracked until %s\n",
                 store::ToString(d.key).c_str(), d.track_until.ToIso8601().c_str());
  }
  if (!poll->error.ok()) {
    PrintError("refresh", poll->error.WithContext("hot list"));
    return false;
  }
  std::fprintf(stderr, "archivist refresh: hot list: %d questions, %zu new\n", poll->listed,
               poll->added.size());
  return true;
}

}  // namespace

Result<DueRefresh> PrepareDueRefresh(const config::Config& config, store::Store& archive,
                                     pipeline::HotListSource& hot_list, Clock& clock) {
  DueRefresh due;
  Result<LockFile> lock = LockFile::ForArchive(config.store_path);
  if (!lock.ok()) return lock.status();
  if (std::optional<pid_t> daemon = lock->Holder(LockFile::Role::kDaemon)) {
    return Status::Unavailable(
        "the archive " + config.store_path + " is kept current by a daemon (pid " +
        std::to_string(*daemon) + "), which refreshes the due threads itself; name the "
        "questions to refresh by hand, or stop the daemon");
  }
  pid_t holder = 0;
  if (Status st = lock->TryLock(LockFile::Role::kDueRefresh, &holder); !st.ok()) {
    if (st.code() != Status::Code::kUnavailable) return st;
    return Status::Unavailable("another archivist refresh (pid " + std::to_string(holder) +
                               ") is refreshing the due threads of " + config.store_path);
  }
  due.lock.emplace(std::move(*lock));
  const Timestamp now = clock.WallNow();
  if (Status st = AddNewConfigThreads(config, archive, now); !st.ok()) return st;
  Result<std::vector<store::ThreadKey>> retired = pipeline::RetireExpired(archive, now);
  if (!retired.ok()) return retired.status();
  for (const store::ThreadKey& key : *retired) {
    std::fprintf(stderr, "archivist refresh: retired %s: its discovery period is over (kept, no "
                 "longer refreshed)\n", store::ToString(key).c_str());
  }
  Result<bool> discovered = Discover(config, archive, hot_list, now);
  if (!discovered.ok()) return discovered.status();
  due.discovery_failed = !*discovered;
  Result<std::vector<store::ThreadKey>> threads = archive.DueThreads(clock.WallNow(), 1 << 30);
  if (!threads.ok()) return threads.status();
  due.threads = std::move(*threads);
  return due;
}

std::optional<pid_t> ArchiveDaemon(const std::string& store_path) {
  Result<LockFile> lock = LockFile::Probe(store_path);
  if (!lock.ok()) return std::nullopt;
  return lock->Holder(LockFile::Role::kDaemon);
}

}  // namespace archivist::cli
