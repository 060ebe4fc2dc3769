#include "cli/refresh_due.h"

#include <unistd.h>

#include <cstdio>
#include <random>
#include <string>

#include "cli/archive.h"
#include "pipeline/standalone.h"
#include "store/open.h"

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
  Result<bool> ours = archive.TryDiscoveryLock();  // a shared archive: one poller at a time
  if (!ours.ok()) return ours.status();
  if (!*ours) return true;
  Result<pipeline::HotListPoll> poll =
      pipeline::PollHotListIfDue(hot_list, archive, now, config.discovery);
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

// The one-shot lock of a file archive; kUnavailable (said why) beside a daemon or a run.
Result<LockFile> LockRun(const std::string& store_path) {
  Result<LockFile> lock = LockFile::ForArchive(store_path);
  if (!lock.ok()) return lock.status();
  if (std::optional<pid_t> daemon = lock->Holder(LockFile::Role::kDaemon)) {
    return Status::Unavailable(
        "the archive " + store_path + " is kept current by a daemon (pid " +
        std::to_string(*daemon) + "), which refreshes the due threads itself; name the "
        "questions to refresh by hand, or stop the daemon");
  }
  pid_t holder = 0;
  if (Status st = lock->TryLock(LockFile::Role::kDueRefresh, &holder); !st.ok()) {
    if (st.code() != Status::Code::kUnavailable) return st;
    return Status::Unavailable("another archivist refresh (pid " + std::to_string(holder) +
                               ") is refreshing the due threads of " + store_path);
  }
  return lock;
}

// A lease owner id for this run: "refresh-<host>-<pid>-<random>".
std::string RunOwnerId() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::random_device rd;
  char tail[16];
  std::snprintf(tail, sizeof tail, "%08x", rd());
  return "refresh-" + std::string(host) + "-" + std::to_string(::getpid()) + "-" + tail;
}

}  // namespace

Result<DueRefresh> PrepareDueRefresh(const config::Config& config, store::Store& archive,
                                     pipeline::HotListSource& hot_list, Clock& clock) {
  DueRefresh due;
  if (store::IsDatabaseUri(config.store_path)) {
    due.owner = RunOwnerId();
    due.lease = config.store_lease;
  } else {
    Result<LockFile> lock = LockRun(config.store_path);
    if (!lock.ok()) return lock.status();
    due.lock.emplace(std::move(*lock));
  }
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

bool ClaimForRun(const DueRefresh& due, store::Store& archive, const store::ThreadKey& key,
                 Clock& clock, bool quiet) {
  if (due.owner.empty()) return true;
  const Timestamp now = clock.WallNow();
  const int64_t lease_us = std::chrono::duration_cast<std::chrono::microseconds>(due.lease).count();
  Result<store::Claims> claims =
      archive.ClaimThreads({key}, due.owner, now, Timestamp::FromMicros(now.micros() + lease_us));
  if (!claims.ok()) {
    PrintError("refresh", claims.status().WithContext(store::ToString(key) + ": not refreshed"));
    return false;
  }
  if (claims->claimed.empty() && !quiet) {
    std::fprintf(stderr, "archivist refresh: %s: skipped: a daemon or another run is refreshing "
                 "it, or did since this run began\n", store::ToString(key).c_str());
  }
  return !claims->claimed.empty();
}

void ReleaseAfterRun(const DueRefresh& due, store::Store& archive, const store::ThreadKey& key) {
  if (due.owner.empty()) return;
  Result<bool> released = archive.ReleaseClaim(key, due.owner, std::nullopt);
  if (!released.ok()) {
    PrintError("refresh", released.status().WithContext("releasing " + store::ToString(key)));
  }
}

std::optional<pid_t> ArchiveDaemon(const std::string& store_path) {
  if (store::IsDatabaseUri(store_path)) return std::nullopt;  // shared: no daemon keeps it
  Result<LockFile> lock = LockFile::Probe(store_path);
  if (!lock.ok()) return std::nullopt;
  return lock->Holder(LockFile::Role::kDaemon);
}

}  // namespace archivist::cli
