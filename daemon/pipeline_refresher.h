// The Refresher of the real `archivist daemon`: the refresh pipeline (daemon/pipeline.h),
// adapted to the narrow interface in refresher.h.
//
#ifndef ARCHIVIST_DAEMON_PIPELINE_REFRESHER_H_
#define ARCHIVIST_DAEMON_PIPELINE_REFRESHER_H_

#include "base/cancel.h"
#include "daemon/refresher.h"

namespace archivist::daemon {

// `cancel` (borrowed, may be null) is the daemon's stop: once cancelled, each refresher's
// transfers, retry waits and commit are abandoned (RefreshResult::cancelled).
RefresherFactory PipelineRefresherFactory(const CancelToken* cancel = nullptr);

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_PIPELINE_REFRESHER_H_
