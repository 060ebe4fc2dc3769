#include "daemon/zhihu_hot_list.h"

#include "daemon/fetch_options.h"

#include "fetch/curl_http_client.h"
#include "fetch/politeness.h"
#include "fetch/retrying_http_client.h"
#include "fetch/sources/zhihu_source.h"

namespace archivist::daemon {
namespace {

class ZhihuHotList final : public HotListSource {
 public:
  ZhihuHotList(std::unique_ptr<fetch::CurlHttpClient> curl, const config::Config& c)
      : curl_(std::move(curl)),
        politeness_(clock_, PolitenessOptionsOf(c)),
        retrying_(*curl_, clock_, politeness_, RetryOptionsOf(c)),
        source_(retrying_, clock_, ZhihuOptionsOf(c)) {}

  Result<std::vector<model::HotItem>> HotList() override { return source_.HotList(); }

 private:
  RealClock clock_;
  std::unique_ptr<fetch::CurlHttpClient> curl_;
  fetch::Politeness politeness_;
  fetch::RetryingHttpClient retrying_;
  fetch::ZhihuSource source_;
};

}  // namespace

Result<std::unique_ptr<HotListSource>> MakeZhihuHotList(const config::Config& c) {
  Result<std::unique_ptr<fetch::CurlHttpClient>> curl =
      fetch::CurlHttpClient::Create(CurlOptionsOf(c));
  if (!curl.ok()) return curl.status();
  return std::unique_ptr<HotListSource>(new ZhihuHotList(std::move(*curl), c));
}

}  // namespace archivist::daemon
