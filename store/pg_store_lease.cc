// PgStore: claims by lease, daemon records, the discovery lock and marks (store.h, the claim
// block; docs/store.md "Claims and leases").
//
// A claim is one statement per thread: it selects the thread's row when it is active, due and
// under no live lease, FOR UPDATE SKIP LOCKED — a row another transaction holds (another
// daemon claiming it, or committing a refresh of it) is skipped, not waited for — and sets
// the lease in the same statement, returning the previous owner so that a takeover (a lease
// that ended unreleased) is told. An owner may claim again a thread under its own lease (one
// whose release failed): its heartbeat would otherwise keep that lease alive for nothing. Two daemons claiming one thread at once: one locks the row
// and claims it, the other skips it or, after the first committed, sees its live lease.
// Leases are compared with the callers' clocks, like next_due: daemons on several machines
// need clocks in step to well under a lease.
//
// The discovery lock is a session-level advisory lock on the store's connection: the server
// releases it when the connection closes, whether the process stopped or died.
#include "store/pg_store.h"

#include "store/pg_conn.h"

namespace archivist::store {
namespace {

int64_t Sql(uint64_t id) { return static_cast<int64_t>(id); }

// An arbitrary constant, the discovery lock's key ("ARCD"); migrations lock 1095910230.
constexpr int64_t kDiscoveryLock = 1095910212;
constexpr int64_t kDayMicros = 86'400'000'000;

}  // namespace

// When a refused thread may be claimable (store.h ClaimRefusal::retry_at).
Result<std::optional<Timestamp>> PgStore::RetryAt(const ThreadKey& key, Timestamp now) {
  Result<PgRows> r = db_->Query(
      "SELECT tracking, coalesce(next_due_at, 0), coalesce(lease_until, 0) FROM threads "
      "WHERE source = $1 AND source_id = $2",
      {key.source, Sql(key.id)});
  if (!r.ok()) return r.status();
  if (r->size() == 0 || r->Text(0, 0) != "active") return std::optional<Timestamp>();
  const int64_t at = std::max({now.micros(), r->Int(0, 1), r->Int(0, 2)});
  return std::optional<Timestamp>(Timestamp::FromMicros(at));
}

Result<Claims> PgStore::ClaimThreads(const std::vector<ThreadKey>& keys, const std::string& owner,
                                     Timestamp now, Timestamp lease_until) {
  Claims claims;
  for (const ThreadKey& key : keys) {
    Result<PgRows> r = db_->Query(
        "WITH c AS (SELECT id, lease_owner FROM threads WHERE source = $1 AND source_id = $2 "
        "AND tracking = 'active' AND (next_due_at IS NULL OR next_due_at <= $3) "
        "AND (lease_owner IS NULL OR lease_owner = $4 OR lease_until <= $3) "
        "FOR UPDATE SKIP LOCKED) "
        "UPDATE threads t SET lease_owner = $4, lease_until = $5 FROM c WHERE t.id = c.id "
        "RETURNING c.lease_owner IS NOT NULL AND c.lease_owner <> $4",
        {key.source, Sql(key.id), now.micros(), owner, lease_until.micros()});
    if (!r.ok()) return r.status().WithContext("claiming " + ToString(key));
    if (r->size() == 1) {
      claims.claimed.push_back(key);
      if (r->Text(0, 0) == "t") claims.takeovers.push_back(key);
      continue;
    }
    Result<std::optional<Timestamp>> retry = RetryAt(key, now);
    if (!retry.ok()) return retry.status();
    claims.refused.push_back({key, *retry});
  }
  return claims;
}

Result<bool> PgStore::ReleaseClaim(const ThreadKey& key, const std::string& owner,
                                   const std::optional<Schedule>& schedule) {
  Result<PgRows> r =
      schedule ? db_->Query("UPDATE threads SET lease_owner = NULL, lease_until = NULL, "
                            "next_due_at = $4, interval_s = $5 "
                            "WHERE source = $1 AND source_id = $2 AND lease_owner = $3",
                            {key.source, Sql(key.id), owner, schedule->next_due.micros(),
                             schedule->interval_seconds})
               : db_->Query("UPDATE threads SET lease_owner = NULL, lease_until = NULL "
                            "WHERE source = $1 AND source_id = $2 AND lease_owner = $3",
                            {key.source, Sql(key.id), owner});
  if (!r.ok()) return r.status().WithContext("releasing " + ToString(key));
  return r->affected() == 1;
}

Status PgStore::RegisterDaemon(const DaemonRecord& d) {
  Result<PgRows> old = db_->Query("DELETE FROM daemons WHERE heartbeat_at < $1",
                                  {d.heartbeat.micros() - kDayMicros});
  if (!old.ok()) return old.status();
  Result<PgRows> r = db_->Query(
      "INSERT INTO daemons (id, host, pid, version, started_at, heartbeat_at) "
      "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET host = $2, pid = $3, "
      "version = $4, started_at = $5, heartbeat_at = $6",
      {d.id, d.host, d.pid, d.version, d.started.micros(), d.heartbeat.micros()});
  return r.ok() ? Status::Ok() : r.status().WithContext("registering the daemon " + d.id);
}

Result<int> PgStore::Heartbeat(const std::string& id, Timestamp now, Timestamp lease_until) {
  Result<PgRows> beat = db_->Query("UPDATE daemons SET heartbeat_at = $2 WHERE id = $1",
                                   {id, now.micros()});
  if (!beat.ok()) return beat.status();
  if (beat->affected() == 0) return Status::NotFound("the daemon " + id + " is not registered");
  Result<PgRows> renew = db_->Query(
      "UPDATE threads SET lease_until = $2 WHERE lease_owner = $1", {id, lease_until.micros()});
  if (!renew.ok()) return renew.status().WithContext("renewing the leases of " + id);
  return static_cast<int>(renew->affected());
}

Status PgStore::DeregisterDaemon(const std::string& id) {
  return InTransaction([&]() -> Status {
    Result<PgRows> leases = db_->Query(
        "UPDATE threads SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1", {id});
    if (!leases.ok()) return leases.status();
    Result<PgRows> gone = db_->Query("DELETE FROM daemons WHERE id = $1", {id});
    return gone.ok() ? Status::Ok() : gone.status();
  });
}

Result<std::vector<DaemonRecord>> PgStore::Daemons(Timestamp now) {
  Result<PgRows> r = db_->Query(
      "SELECT d.id, d.host, d.pid, d.version, d.started_at, d.heartbeat_at, "
      "(SELECT count(*) FROM threads t WHERE t.lease_owner = d.id AND t.lease_until > $1) "
      "FROM daemons d ORDER BY d.started_at, d.id",
      {now.micros()});
  if (!r.ok()) return r.status();
  std::vector<DaemonRecord> out;
  for (int i = 0; i < r->size(); ++i) {
    DaemonRecord d;
    d.id = r->Text(i, 0);
    d.host = r->Text(i, 1);
    d.pid = r->Int(i, 2);
    d.version = r->Text(i, 3);
    d.started = Timestamp::FromMicros(r->Int(i, 4));
    d.heartbeat = Timestamp::FromMicros(r->Int(i, 5));
    d.threads_held = static_cast<int>(r->Int(i, 6));
    out.push_back(std::move(d));
  }
  return out;
}

// Asked of the server every time, never remembered: a connection lost and taken up again
// (pg_conn.h) has lost the lock with the old session, and another daemon may hold it now.
// Taking a session lock this session already holds succeeds again (and stacks, harmlessly:
// the server releases every level when the session ends).
Result<bool> PgStore::TryDiscoveryLock() {
  Result<PgRows> r = db_->Query("SELECT pg_try_advisory_lock($1)", {kDiscoveryLock});
  if (!r.ok()) return r.status();
  return r->Text(0, 0) == "t";
}

Result<std::optional<Timestamp>> PgStore::GetMark(const std::string& name) {
  Result<PgRows> r = db_->Query("SELECT at FROM marks WHERE name = $1", {name});
  if (!r.ok()) return r.status();
  if (r->size() == 0) return std::optional<Timestamp>();
  return std::optional<Timestamp>(Timestamp::FromMicros(r->Int(0, 0)));
}

Status PgStore::SetMark(const std::string& name, Timestamp at) {
  Result<PgRows> r = db_->Query(
      "INSERT INTO marks (name, at) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET at = $2",
      {name, at.micros()});
  return r.ok() ? Status::Ok() : r.status();
}

}  // namespace archivist::store
