// ZhihuHotList: the HotListSource of the real daemon, over fetch/ (ZhihuSource::HotList on
// a CurlHttpClient with retries and politeness), configured from [fetch] and [zhihu].
#ifndef ARCHIVIST_DAEMON_ZHIHU_HOT_LIST_H_
#define ARCHIVIST_DAEMON_ZHIHU_HOT_LIST_H_

#include <memory>

#include "base/cancel.h"
#include "config/config.h"
#include "daemon/refresher.h"

namespace archivist::daemon {

// Fails (kInvalidArgument) when the fetch options are unusable (e.g. an unreadable cookies
// file), naming the option.
Result<std::unique_ptr<HotListSource>> MakeZhihuHotList(const config::Config& config);

// The same, abandoned once `cancel` (borrowed, may be null) is cancelled: the daemon's stop.
HotListFactory ZhihuHotListFactory(const CancelToken* cancel);

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_ZHIHU_HOT_LIST_H_
