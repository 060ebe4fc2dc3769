// What `archivist refresh` without question names does before it refreshes, so that a run
// (e.g. under archivist-refresh.timer) keeps the archive as the daemon would
// (docs/operations.md "The timer instead of the daemon"):
//
//   - on a file archive, takes the one-shot lock of `<archive>.lock` (base/lock_file.h),
//     refusing when a daemon keeps the archive (it refreshes the due threads itself) or
//     another such run is going. A PostgreSQL archive is shared: the run takes no lock and
//     claims each thread by lease just before refreshing it (ClaimForRun), as daemons do,
//     skipping the threads a daemon or another run holds. The run does not renew its claim:
//     a refresh longer than store.lease may be taken over by a daemon, and the later of the
//     two commits is then refused (superseded) by the archive's version check;
//   - adds the [[thread]]s of the configuration that the archive has never seen;
//   - retires the discovered threads whose tracking period is over;
//   - with discovery.zhihu_hot, polls the hot list when discovery.interval has passed since
//     the last poll (pipeline/standalone.h), adding its new questions — on a shared archive
//     only when it holds the discovery lock (no daemon polls);
//   - returns the due active threads, earliest first.
//
// Messages go to stderr as "archivist refresh: …".
#ifndef ARCHIVIST_CLI_REFRESH_DUE_H_
#define ARCHIVIST_CLI_REFRESH_DUE_H_

#include <optional>
#include <vector>

#include "base/clock.h"
#include "base/lock_file.h"
#include "base/status.h"
#include "config/config.h"
#include "pipeline/source.h"
#include "store/store.h"

namespace archivist::cli {

struct DueRefresh {
  std::optional<LockFile> lock;          // held for the run (a file archive)
  std::string owner;                     // a shared archive: the run's lease owner id
  config::Duration lease{};              // … and its lease
  std::vector<store::ThreadKey> threads;  // due, earliest first
  bool discovery_failed = false;          // the hot-list poll failed (said on stderr)
};

// kUnavailable (said why) when a daemon or another run holds the archive.
Result<DueRefresh> PrepareDueRefresh(const config::Config& config, store::Store& archive,
                                     pipeline::HotListSource& hot_list, Clock& clock);

// Claims `key` for the run before its refresh: always true on a file archive (the run holds
// its lock); on a shared one false when a daemon or another run holds the thread or it is no
// longer due (said on stderr unless `quiet`): skip it then.
bool ClaimForRun(const DueRefresh& due, store::Store& archive, const store::ThreadKey& key,
                 Clock& clock, bool quiet);
// Ends the run's claim of `key` after its refresh (the refresh stored the schedule).
void ReleaseAfterRun(const DueRefresh& due, store::Store& archive, const store::ThreadKey& key);

// The pid of the daemon that holds the archive at `store_path`, if one does. Not to be called
// by a process that holds a lock of that archive (base/lock_file.h: closing a descriptor of
// the lock file releases the process's locks on it).
std::optional<pid_t> ArchiveDaemon(const std::string& store_path);

}  // namespace archivist::cli

#endif  // ARCHIVIST_CLI_REFRESH_DUE_H_
