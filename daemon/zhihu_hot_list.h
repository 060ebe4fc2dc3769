// The HotListSource of the real daemon (discovery.zhihu_hot): the hot list of the site
// source that pipeline/backends.h builds for the configuration, on the service's clock and
// politeness, so that its polls count against the per-host limits the refreshers share.
#ifndef ARCHIVIST_DAEMON_ZHIHU_HOT_LIST_H_
#define ARCHIVIST_DAEMON_ZHIHU_HOT_LIST_H_

#include <memory>

#include "config/config.h"
#include "daemon/refresher.h"

namespace archivist::daemon {

// A HotListFactory. Fails (kInvalidArgument) when the fetch options are unusable (e.g. an
// unreadable cookies file), naming the option.
Result<std::unique_ptr<HotListSource>> MakeZhihuHotList(const config::Config& config,
                                                        const SharedPieces& shared);

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_ZHIHU_HOT_LIST_H_
