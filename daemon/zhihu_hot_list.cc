#include "daemon/zhihu_hot_list.h"

#include "pipeline/backends.h"

namespace archivist::daemon {
namespace {

class ZhihuHotList final : public HotListSource {
 public:
  explicit ZhihuHotList(const config::Config& c)
      : politeness_(clock_, pipeline::PolitenessOptionsOf(c)) {}

  Status Init(const config::Config& c) {
    Result<std::unique_ptr<pipeline::SiteSource>> source =
        pipeline::MakeSiteSource(pipeline::FetchSettingsOf(c), {clock_, politeness_});
    if (!source.ok()) return source.status();
    source_ = std::move(*source);
    return Status::Ok();
  }

  Result<std::vector<model::HotItem>> HotList() override { return source_->HotList(); }

 private:
  RealClock clock_;
  fetch::Politeness politeness_;
  std::unique_ptr<pipeline::SiteSource> source_;
};

}  // namespace

Result<std::unique_ptr<HotListSource>> MakeZhihuHotList(const config::Config& c) {
  auto hot = std::make_unique<ZhihuHotList>(c);
  ARCHIVIST_RETURN_IF_ERROR(hot->Init(c));
  return std::unique_ptr<HotListSource>(std::move(hot));
}

}  // namespace archivist::daemon
