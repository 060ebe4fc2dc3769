#include "daemon/service_config.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "pipeline/backends.h"
#include "pipeline/standalone.h"
#include "store/open.h"

namespace archivist::daemon {

SchedulerOptions SchedulerOptionsOf(const config::Config& c, const ServiceOptions& o,
                                    int workers) {
  SchedulerOptions s;
  s.policy = pipeline::IntervalPolicyOf(c.schedule);
  s.concurrency = std::min(c.fetch.concurrency, workers);
  s.per_host_concurrency = c.fetch.per_host_concurrency;
  s.policy.host_backoff_base = o.host_backoff_base;
  s.policy.host_backoff_max = o.host_backoff_max;
  return s;
}

Result<std::unique_ptr<store::Store>> OpenConfiguredStore(const config::Config& c) {
  if (!store::IsDatabaseUri(c.store_path) && c.store_path == config::DefaultStorePath()) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(c.store_path).parent_path(), ec);
  }
  store::OpenOptions checked;
  checked.check_integrity = true;  // refuse to run on a damaged archive
  return store::OpenStore(c.store_path, checked);
}

void WarnAboutRestartOnlyKeys(const config::FetchConfig& start, const config::Config& fresh) {
  if (fresh.fetch.per_host_delay != start.per_host_delay) {
    spdlog::warn("fetch.per_host_delay stays {} until a restart",
                 config::FormatDuration(start.per_host_delay));
  }
  if (fresh.fetch.concurrency > start.concurrency) {
    spdlog::warn("fetch.concurrency stays {} until a restart (a reload can only lower it)",
                 start.concurrency);
  }
  if (fresh.fetch.per_host_concurrency > start.per_host_concurrency) {
    spdlog::warn(
        "fetch.per_host_concurrency stays {} until a restart (a reload can only lower it)",
        start.per_host_concurrency);
  }
}

void WarnAboutTheRunningBrowser(const config::Config& current, const config::Config& fresh) {
  if (!pipeline::SameBrowser(pipeline::FetchSettingsOf(current), pipeline::FetchSettingsOf(fresh))) {
    spdlog::warn("the running browser keeps its options (fetch.browser*, fetch.concurrency, "
                 "fetch.proxy) until a restart");
  }
}

}  // namespace archivist::daemon
