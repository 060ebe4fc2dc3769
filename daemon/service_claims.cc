// The daemon's claims by lease: how several daemons share one archive (docs/postgresql.md
// "Several daemons on one archive").
//
// The scheduler proposes, the store decides. Each tick the Scheduler names the threads it
// would start; the loop asks the store to claim them (Store::ClaimThreads: due, active and
// under no live lease, SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL). A claimed thread is
// refreshed; a refused one is handed back to the Scheduler (Scheduler::Defer) with the time
// the store named — its stored next due time when another daemon refreshed it since, or the
// end of another daemon's live lease — so the scheduler's in-memory schedule follows the
// archive without rereading it. The refresh's end releases the claim and stores the new
// schedule in one statement (Store::ReleaseClaim); a release that finds the lease taken over
// writes nothing (the other daemon owns the thread's schedule now) and is counted.
//
// A heartbeat every third of the lease renews every lease this daemon holds and its record
// in the archive, so a long refresh keeps its claim. A daemon that dies stops renewing: its
// leases end and the others claim its threads (a takeover, counted). A clean stop releases
// every lease and removes the record at once (Deregister). CommitRefresh's base_version check
// stays the last line of defence should a stalled daemon's lease end while it still commits.
//
// The hot list is polled by one daemon at a time: the one whose store connection holds the
// discovery lock (an advisory lock the server releases when the connection ends), and only
// when discovery.interval has passed since the archive's last poll by anyone (its "hot-list"
// mark, which every poll writes).
//
// A file archive has one daemon (its lock file): every claim is granted, there are no leases
// or records, and the discovery lock is always held (store.h).
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <random>

#include "base/archive_location.h"
#include "base/version.h"
#include "daemon/service_loop.h"

namespace archivist::daemon {
namespace {

std::string HostName() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return "unknown";
  return host;
}

// "<host>-<pid>-<random>": unique among the daemons of an archive, also after a restart
// with the same pid on another container.
std::string NewDaemonId() {
  std::random_device rd;
  char tail[16];
  std::snprintf(tail, sizeof tail, "%08x", rd());
  return HostName() + "-" + std::to_string(::getpid()) + "-" + tail;
}

}  // namespace

Timestamp Service::Loop::LeaseEnd() const {
  const int64_t lease_us =
      std::chrono::duration_cast<std::chrono::microseconds>(config->store_lease).count();
  return Timestamp::FromMicros(clock->WallNow().micros() + lease_us);
}

store::DaemonRecord Service::Loop::Record() const {
  store::DaemonRecord me;
  me.id = daemon_id;
  me.host = HostName();
  me.pid = ::getpid();
  me.version = std::string(kVersion);
  me.started = clock->WallNow();
  me.heartbeat = me.started;
  return me;
}

Status Service::Loop::Register() {
  daemon_id = NewDaemonId();
  metrics.SetDaemonId(daemon_id);
  ARCHIVIST_RETURN_IF_ERROR(store->RegisterDaemon(Record()));
  registered = true;
  return Status::Ok();
}

// Claims what the scheduler proposes; starts the claimed, defers the refused.
void Service::Loop::StartClaimed(const std::vector<store::ThreadKey>& proposed) {
  if (proposed.empty()) return;
  const Timestamp now = clock->WallNow();
  Result<store::Claims> claims = store->ClaimThreads(proposed, daemon_id, now, LeaseEnd());
  if (!claims.ok()) {  // nothing claimed: ask again after a tick
    StoreWrite(claims.status(), "claiming threads");
    const Timestamp later = Timestamp::FromMicros(
        now.micros() + std::chrono::duration_cast<std::chrono::microseconds>(options.tick).count());
    for (const store::ThreadKey& key : proposed) scheduler->Defer(key, later);
    return;
  }
  metrics.RecordClaims(static_cast<int>(claims->claimed.size()),
                       static_cast<int>(claims->refused.size()),
                       static_cast<int>(claims->takeovers.size()));
  for (const store::ThreadKey& key : claims->takeovers) {
    spdlog::info("took over {}: the lease of the daemon that held it had expired",
                 store::ToString(key));
  }
  for (const store::ClaimRefusal& r : claims->refused) {
    if (!r.retry_at) {  // no longer active: the next rescan forgets it
      scheduler->Defer(r.key, LeaseEnd());
      continue;
    }
    // At or before now: its row was busy (another daemon claiming or committing it).
    const Timestamp soon = Timestamp::FromMicros(now.micros() + 1'000'000);
    scheduler->Defer(r.key, std::max(*r.retry_at, soon));
    spdlog::debug("{} is another daemon's or not due: asking again at {}", store::ToString(r.key),
                  std::max(*r.retry_at, soon).ToIso8601());
  }
  for (const store::ThreadKey& key : claims->claimed) Submit(key);
}

void Service::Loop::Submit(const store::ThreadKey& key) {
  pool->Submit([this, key](WorkerTools& tools) {
    Result<pipeline::RefreshSummary> done =
        tools.refresher ? Result<pipeline::RefreshSummary>(tools.refresher->Refresh(key))
                        : Result<pipeline::RefreshSummary>(tools.refresher_status);
    asio::post(io, [this, key, done = std::move(done)]() mutable {
      OnRefreshed(key, std::move(done));
    });
  });
}

void Service::Loop::Release(const store::ThreadKey& key,
                            const std::optional<store::Schedule>& schedule) {
  Result<bool> held = store->ReleaseClaim(key, daemon_id, schedule);
  if (!held.ok()) {
    return StoreWrite(held.status(), "releasing " + store::ToString(key));
  }
  if (schedule) StoreWrite(Status::Ok(), "");  // a write succeeded: the store is writable again
  metrics.RecordRelease(*held);
  if (!*held) {
    spdlog::warn("the lease of {} had expired and another daemon took the thread over before "
                 "this refresh ended (lengthen store.lease?); its schedule is the other's",
                 store::ToString(key));
  }
}

void Service::Loop::Heartbeat() {
  if (registered && !damaged) {
    Result<int> held = store->Heartbeat(daemon_id, clock->WallNow(), LeaseEnd());
    if (!held.ok() && held.status().code() == Status::Code::kNotFound) {
      spdlog::warn("this daemon's record was gone from the archive: registering again");
      StoreWrite(store->RegisterDaemon(Record()), "registering the daemon again");
    } else if (!held.ok()) {
      StoreWrite(held.status(), "renewing the leases");
    } else {
      metrics.SetThreadsHeld(*held);
    }
  }
  const auto period = std::max<std::chrono::milliseconds>(
      std::chrono::milliseconds(200), config->store_lease / 3);
  heartbeat_timer.expires_after(period);
  heartbeat_timer.async_wait([this](const asio::error_code& ec) {
    if (!ec) Heartbeat();
  });
}

void Service::Loop::Deregister() {
  heartbeat_timer.cancel();
  if (!registered) return;
  registered = false;
  if (Status st = store->DeregisterDaemon(daemon_id); !st.ok()) {
    spdlog::warn("could not release this daemon's leases (they expire within {}): {}",
                 config::FormatDuration(config->store_lease), st.ToString());
  }
}

// One daemon at a time polls: the holder of the discovery lock, when the archive's last poll
// is older than discovery.interval. (The one daemon of a file archive polls at its start, as
// it always did, and every interval after.)
bool Service::Loop::PollHere() {
  Result<bool> ours = store->TryDiscoveryLock();
  if (!ours.ok()) {
    spdlog::warn("hot list: cannot take the discovery lock: {}", ours.status().ToString());
    return false;
  }
  if (!*ours) return false;
  return !IsDatabaseUri(config->store_path) ||
         pipeline::HotListPollDue(*store, clock->WallNow(), config->discovery);
}

}  // namespace archivist::daemon
