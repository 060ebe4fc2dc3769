// The backends' stacks, built in one place (see backends.h): the settings of the
// configuration and the `http` backend here, the `browser` backend in browser_backend.cc.
#include "pipeline/backends.h"

#include <algorithm>
#include <utility>

namespace archivist::pipeline {

// The browser backend's SiteSource (browser_backend.cc).
Result<std::unique_ptr<SiteSource>> MakeBrowserSource(const FetchSettings& settings,
                                                      const SharedFetch& shared);

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

// Chromium takes socks5:// and resolves names through the proxy itself (libcurl's socks5h).
std::string ChromiumProxy(const std::string& proxy) {
  if (proxy.starts_with("socks5h://")) return "socks5://" + proxy.substr(10);
  if (proxy.starts_with("socks4a://")) return "socks4://" + proxy.substr(10);
  return proxy;
}

}  // namespace

Result<Backend> ParseBackend(std::string_view name) {
  if (name == "http") return Backend::kHttp;
  if (name == "browser") return Backend::kBrowser;
  return Status::InvalidArgument("backend '" + std::string(name) +
                                 "' is not one of \"http\", \"browser\"");
}

std::string_view BackendName(Backend backend) {
  return backend == Backend::kBrowser ? "browser" : "http";
}

browser::ChromiumLaunch BrowserLaunchOf(const config::Config& c) {
  browser::ChromiumLaunch launch;
  launch.executable = c.fetch.browser;
  launch.profile_dir = config::BrowserProfileDir(c);
  launch.user = c.fetch.browser_user;
  launch.sandbox = c.fetch.browser_sandbox;
  launch.user_agent = c.fetch.browser_user_agent;
  // Without a JIT, V8 needs no writable-and-executable memory: the browser then runs under
  // systemd's MemoryDenyWriteExecute=yes (docs/operations.md).
  if (!c.fetch.browser_jit) launch.extra_args.push_back("--js-flags=--jitless");
  if (!c.fetch.proxy.empty()) launch.extra_args.push_back("--proxy-server=" + ChromiumProxy(c.fetch.proxy));
  return launch;
}

FetchSettings FetchSettingsOf(const config::Config& c) {
  FetchSettings s;
  s.backend = c.fetch.backend == "browser" ? Backend::kBrowser : Backend::kHttp;
  s.curl.timeout = c.fetch.timeout;
  s.curl.connect_timeout = c.fetch.connect_timeout;
  s.curl.max_body = static_cast<size_t>(c.fetch.max_body);
  s.curl.user_agent = c.fetch.user_agent;
  s.curl.cookie = c.zhihu.cookie;
  s.curl.cookies_file = c.fetch.cookies_file;
  s.curl.cookie_url = c.zhihu.base_url;  // cookies go to its origin only
  s.curl.proxy = c.fetch.proxy;
  s.zhihu.base_url = c.zhihu.base_url;
  s.zhihu.page_size = c.zhihu.page_size;
  s.zhihu.max_pages = c.zhihu.max_pages;
  s.retry.max_attempts = c.fetch.retries + 1;

  browser::BrowserOptions& b = s.browser.browser;
  b.launch = BrowserLaunchOf(c);
  b.max_tabs = std::clamp(c.fetch.concurrency, 1, 64);  // one tab per refresh in flight
  b.allowed_hosts = c.fetch.browser_allow_hosts;
  browser::BrowserSourceOptions& o = s.browser.source;
  o.base_url = c.zhihu.base_url;
  o.cookie = c.zhihu.cookie;
  o.cookies_file = c.fetch.cookies_file;
  o.page_timeout = c.fetch.timeout;
  o.response_timeout = c.fetch.timeout;
  o.command_timeout = c.fetch.timeout;  // a tab's DevTools command (a dead renderer answers none)
  o.max_body_bytes = static_cast<size_t>(c.fetch.max_body);
  o.max_pages = s.zhihu.max_pages;
  return s;
}

bool SameBrowser(const FetchSettings& a, const FetchSettings& b) {
  const browser::BrowserOptions& x = a.browser.browser;
  const browser::BrowserOptions& y = b.browser.browser;
  const browser::ChromiumLaunch& l = x.launch;
  const browser::ChromiumLaunch& m = y.launch;
  return l.executable == m.executable && l.profile_dir == m.profile_dir && l.user == m.user &&
         l.sandbox == m.sandbox && l.user_agent == m.user_agent && l.headless == m.headless &&
         l.extra_args == m.extra_args && l.extra_env == m.extra_env &&
         x.max_tabs == y.max_tabs && x.allowed_hosts == y.allowed_hosts;
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
  if (settings.backend == Backend::kBrowser) return MakeBrowserSource(settings, shared);
  ARCHIVIST_RETURN_IF_ERROR(fetch::ZhihuSource::ValidateOptions(settings.zhihu));
  FetchSettings s = settings;
  if (shared.cancel != nullptr) {
    s.curl.cancel = shared.cancel;
    s.retry.cancel = shared.cancel;
  }
  s.retry.observer = shared.observer;
  Result<std::unique_ptr<fetch::CurlHttpClient>> curl = fetch::CurlHttpClient::Create(s.curl);
  if (!curl.ok()) return curl.status();
  return std::unique_ptr<SiteSource>(new HttpSource(std::move(*curl), s, shared));
}

}  // namespace archivist::pipeline
