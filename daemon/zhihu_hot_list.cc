#include "daemon/zhihu_hot_list.h"

namespace archivist::daemon {

Result<std::unique_ptr<HotListSource>> MakeZhihuHotList(const config::Config& c,
                                                        const SharedPieces& shared) {
  Result<std::unique_ptr<pipeline::SiteSource>> source =
      pipeline::MakeSiteSource(pipeline::FetchSettingsOf(c), shared.fetch());
  if (!source.ok()) return source.status();
  return std::unique_ptr<HotListSource>(std::move(*source));
}

}  // namespace archivist::daemon
