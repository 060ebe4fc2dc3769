// The `http` backend's stack, built in one place (see backends.h).
#include "pipeline/backends.h"

#include <utility>

namespace archivist::pipeline {
namespace {

// CurlHttpClient → RetryingHttpClient → ZhihuSource, owned together; the clock and the
// politeness are borrowed.
class HttpSource final : public SiteSource {
 public:
  HttpSource(std::unique_ptr<fetch::CurlHttpClient> curl, const FetchSettings& settings,
             const SharedFetch& shared)
      : curl_(std::move(curl)),
        retrying_(*curl_, shared.clock, shared.politeness, settings.retry),
        zhihu_(retrying_, shared.clock, settings.zhihu) {}

  model::Snapshot Fetch(model::QuestionId id) override { return zhihu_.FetchQuestion(id); }
  model::ProbeResult Probe(model::AnswerId id) override { return zhihu_.ProbeAnswer(id); }
  Result<std::vector<model::HotItem>> HotList() override { return zhihu_.HotList(); }

 private:
  std::unique_ptr<fetch::CurlHttpClient> curl_;
  fetch::RetryingHttpClient retrying_;
  fetch::ZhihuSource zhihu_;
};

}  // namespace

FetchSettings FetchSettingsOf(const config::Config& c) {
  FetchSettings s;
  s.curl.timeout = c.fetch.timeout;
  s.curl.max_body = static_cast<size_t>(c.fetch.max_body);
  s.curl.user_agent = c.fetch.user_agent;
  s.curl.cookie = c.zhihu.cookie;
  s.curl.cookies_file = c.fetch.cookies_file;
  s.curl.proxy = c.fetch.proxy;
  s.zhihu.base_url = c.zhihu.base_url;
  s.zhihu.page_size = c.zhihu.page_size;
  return s;
}

fetch::PolitenessOptions PolitenessOptionsOf(const config::Config& c) {
  fetch::PolitenessOptions p;
  p.per_host_concurrency = c.fetch.per_host_concurrency;
  p.per_host_delay = c.fetch.per_host_delay;
  p.global_concurrency = c.fetch.concurrency;
  return p;
}

Result<std::unique_ptr<SiteSource>> MakeSiteSource(const FetchSettings& settings,
                                                   const SharedFetch& shared) {
  ARCHIVIST_RETURN_IF_ERROR(fetch::ZhihuSource::ValidateOptions(settings.zhihu));
  Result<std::unique_ptr<fetch::CurlHttpClient>> curl =
      fetch::CurlHttpClient::Create(settings.curl);
  if (!curl.ok()) return curl.status();
  return std::unique_ptr<SiteSource>(new HttpSource(std::move(*curl), settings, shared));
}

}  // namespace archivist::pipeline
