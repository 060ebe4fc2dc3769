#include "daemon/pipeline_refresher.h"

namespace archivist::daemon {

RefresherFactory PipelineRefresherFactory() {
  return [](const config::Config&) -> Result<std::unique_ptr<Refresher>> {
    return Status::Unavailable(
        "the refresh pipeline is not part of this build (branch daemon; see "
        "daemon/pipeline_refresher.h)");
  };
}

}  // namespace archivist::daemon
