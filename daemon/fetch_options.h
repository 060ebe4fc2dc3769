// The HTTP client's options from the configuration, shared by the daemon's refreshers and
// its hot-list source.
#ifndef ARCHIVIST_DAEMON_FETCH_OPTIONS_H_
#define ARCHIVIST_DAEMON_FETCH_OPTIONS_H_

#include "config/config.h"
#include "fetch/curl_http_client.h"
#include "fetch/politeness.h"
#include "fetch/retrying_http_client.h"
#include "fetch/sources/zhihu_source.h"

namespace archivist::daemon {

inline fetch::CurlOptions CurlOptionsOf(const config::Config& c) {
  fetch::CurlOptions o;
  o.timeout = c.fetch.timeout;
  o.connect_timeout = c.fetch.connect_timeout;
  o.max_body = static_cast<size_t>(c.fetch.max_body);
  o.user_agent = c.fetch.user_agent;
  o.cookie = c.zhihu.cookie;
  o.cookies_file = c.fetch.cookies_file;
  o.cookie_url = c.zhihu.base_url;  // cookies go to its origin only
  o.proxy = c.fetch.proxy;
  return o;
}

inline fetch::PolitenessOptions PolitenessOptionsOf(const config::Config& c) {
  fetch::PolitenessOptions p;
  p.per_host_concurrency = c.fetch.per_host_concurrency;
  p.per_host_delay = c.fetch.per_host_delay;
  p.global_concurrency = c.fetch.concurrency;
  return p;
}

inline fetch::ZhihuOptions ZhihuOptionsOf(const config::Config& c) {
  fetch::ZhihuOptions z;
  z.base_url = c.zhihu.base_url;
  z.page_size = c.zhihu.page_size;
  z.max_pages = c.zhihu.max_pages;
  return z;
}

inline fetch::RetryOptions RetryOptionsOf(const config::Config& c) {
  fetch::RetryOptions r;
  r.max_attempts = c.fetch.retries + 1;
  return r;
}

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_FETCH_OPTIONS_H_
