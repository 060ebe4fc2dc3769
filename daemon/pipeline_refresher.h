// The Refresher of the real `archivist daemon`: the refresh pipeline (daemon/pipeline.h),
// adapted to the narrow interface in refresher.h.
//
// STATUS on branch `daemon`: the pipeline is written on branch `pipeline` in parallel; until
// the two are merged, PipelineRefresherFactory returns a factory that fails with
// kUnavailable "the refresh pipeline is not part of this build", and `archivist daemon`
// refuses to start with that message (the service checks the factory before READY). The
// adapter to write at merge is described in docs/operations.md "For developers".
#ifndef ARCHIVIST_DAEMON_PIPELINE_REFRESHER_H_
#define ARCHIVIST_DAEMON_PIPELINE_REFRESHER_H_

#include "daemon/refresher.h"

namespace archivist::daemon {

RefresherFactory PipelineRefresherFactory();

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_PIPELINE_REFRESHER_H_
