// What the daemon's service reads from the configuration: the scheduler's options, the
// store to open, and the keys a reload cannot change.
//
// Thread-safety: functions of their arguments (WarnAboutRestartOnlyKeys logs).
#ifndef ARCHIVIST_DAEMON_SERVICE_CONFIG_H_
#define ARCHIVIST_DAEMON_SERVICE_CONFIG_H_

#include <memory>

#include "base/status.h"
#include "config/config.h"
#include "daemon/scheduler.h"
#include "daemon/service.h"
#include "store/store.h"

namespace archivist::daemon {

// [schedule] and [fetch] limits, with the service's host backoff; at most `workers` in flight.
SchedulerOptions SchedulerOptionsOf(const config::Config& c, const ServiceOptions& o,
                                    int workers);

// The default ServiceOptions::open_store: SqliteStore at store.path. The default location's
// folder is created when missing (a first run without systemd's StateDirectory), as for the
// CLI's writing verbs; a configured path's folder must exist.
Result<std::unique_ptr<store::Store>> OpenConfiguredStore(const config::Config& c);

// The politeness (per-host delay and limits) is the service's, made at start, and the worker
// pool is sized at start (worker_pool.h): the scheduler applies lower limits at once, but a
// new delay or higher limits would be silently ignored until a restart. Says so in the log.
void WarnAboutRestartOnlyKeys(const config::FetchConfig& start, const config::Config& fresh);

// A running browser keeps the options it was started with until it closes (pipeline/backends.h
// SharedBrowser): when `fresh` would start it otherwise than `current` did, says so in the log.
void WarnAboutTheRunningBrowser(const config::Config& current, const config::Config& fresh);

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_SERVICE_CONFIG_H_
