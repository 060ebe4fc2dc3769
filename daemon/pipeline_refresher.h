// The Refresher of the real `archivist daemon`: the refresh pipeline (pipeline/pipeline.h),
// adapted to the narrow interface in refresher.h.
#ifndef ARCHIVIST_DAEMON_PIPELINE_REFRESHER_H_
#define ARCHIVIST_DAEMON_PIPELINE_REFRESHER_H_

#include "daemon/refresher.h"

namespace archivist::daemon {

// Each refresher borrows the service's SharedPieces; their `cancel` is the daemon's stop: once
// cancelled, a refresher's transfers, retry waits and commit are abandoned
// (RefreshSummary::cancelled).
RefresherFactory PipelineRefresherFactory();

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_PIPELINE_REFRESHER_H_
