#include "daemon/zhihu_hot_list.h"

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
        politeness_(clock_, PolitenessOf(c)),
        retrying_(*curl_, clock_, politeness_, fetch::RetryOptions{}),
        source_(retrying_, clock_, ZhihuOptionsOf(c)) {}

  Result<std::vector<model::HotItem>> HotList() override { return source_.HotList(); }

 private:
  static fetch::PolitenessOptions PolitenessOf(const config::Config& c) {
    fetch::PolitenessOptions p;
    p.per_host_concurrency = c.fetch.per_host_concurrency;
    p.per_host_delay = c.fetch.per_host_delay;
    p.global_concurrency = c.fetch.concurrency;
    return p;
  }
  static fetch::ZhihuOptions ZhihuOptionsOf(const config::Config& c) {
    fetch::ZhihuOptions z;
    z.base_url = c.zhihu.base_url;
    z.page_size = c.zhihu.page_size;
    return z;
  }

  RealClock clock_;
  std::unique_ptr<fetch::CurlHttpClient> curl_;
  fetch::Politeness politeness_;
  fetch::RetryingHttpClient retrying_;
  fetch::ZhihuSource source_;
};

}  // namespace

Result<std::unique_ptr<HotListSource>> MakeZhihuHotList(const config::Config& c) {
  fetch::CurlOptions o;
  o.timeout = c.fetch.timeout;
  o.max_body = static_cast<size_t>(c.fetch.max_body);
  o.user_agent = c.fetch.user_agent;
  o.cookie = c.zhihu.cookie;
  o.cookies_file = c.fetch.cookies_file;
  o.proxy = c.fetch.proxy;
  Result<std::unique_ptr<fetch::CurlHttpClient>> curl = fetch::CurlHttpClient::Create(o);
  if (!curl.ok()) return curl.status();
  return std::unique_ptr<HotListSource>(new ZhihuHotList(std::move(*curl), c));
}

}  // namespace archivist::daemon
