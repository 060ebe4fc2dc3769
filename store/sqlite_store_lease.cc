// SqliteStore: the claim block of store.h for a file archive, which has one daemon (its lock
// file, base/lock_file.h) and so needs no leases: every claim is granted, releasing stores
// the schedule, there are no daemon records, the discovery lock is always held, and a mark is
// a small file beside the archive (`<archive>.<name>`, e.g. `<archive>.hot-list`), written
// atomically and not durably: a lost mark only costs an early poll.
#include <fstream>

#include "base/atomic_file.h"
#include "store/sqlite_db.h"
#include "store/sqlite_store.h"

namespace archivist::store {
namespace {

bool ValidMarkName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

}  // namespace

Result<Claims> SqliteStore::ClaimThreads(const std::vector<ThreadKey>& keys, const std::string&,
                                         Timestamp, Timestamp) {
  Claims claims;
  claims.claimed = keys;
  return claims;
}

Result<bool> SqliteStore::ReleaseClaim(const ThreadKey& key, const std::string&,
                                       const std::optional<Schedule>& schedule) {
  if (schedule) ARCHIVIST_RETURN_IF_ERROR(SetSchedule(key, *schedule));
  return true;
}

Status SqliteStore::RegisterDaemon(const DaemonRecord&) { return Status::Ok(); }

Result<int> SqliteStore::Heartbeat(const std::string&, Timestamp, Timestamp) { return 0; }

Status SqliteStore::DeregisterDaemon(const std::string&) { return Status::Ok(); }

Result<std::vector<DaemonRecord>> SqliteStore::Daemons(Timestamp) {
  return std::vector<DaemonRecord>();
}

Result<bool> SqliteStore::TryDiscoveryLock() { return true; }

Result<std::optional<Timestamp>> SqliteStore::GetMark(const std::string& name) {
  if (!ValidMarkName(name)) return Status::InvalidArgument("bad mark name '" + name + "'");
  std::ifstream in(db_->path() + "." + name);
  std::string text;
  if (!in || !std::getline(in, text)) return std::optional<Timestamp>();
  Result<Timestamp> at = ParseIso8601(text);
  if (!at.ok()) return std::optional<Timestamp>();  // a damaged mark counts as none
  return std::optional<Timestamp>(*at);
}

Status SqliteStore::SetMark(const std::string& name, Timestamp at) {
  if (!ValidMarkName(name)) return Status::InvalidArgument("bad mark name '" + name + "'");
  AtomicWriteOptions write;
  write.durable = false;
  write.mode = 0600;
  return WriteFileAtomically(db_->path() + "." + name, at.ToIso8601() + "\n", write);
}

}  // namespace archivist::store
