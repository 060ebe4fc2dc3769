// The Refresher of the real `archivist daemon`: the refresh pipeline (pipeline/pipeline.h),
// adapted to the narrow interface in refresher.h.
#ifndef ARCHIVIST_DAEMON_PIPELINE_REFRESHER_H_
#define ARCHIVIST_DAEMON_PIPELINE_REFRESHER_H_

#include "daemon/refresher.h"

namespace archivist::daemon {

RefresherFactory PipelineRefresherFactory();

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_PIPELINE_REFRESHER_H_
