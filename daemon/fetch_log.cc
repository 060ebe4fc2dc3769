#include "daemon/fetch_log.h"

#include <spdlog/spdlog.h>

#include "fetch/retrying_http_client.h"

namespace archivist::daemon {
namespace {

double Seconds(Clock::Duration d) { return std::chrono::duration<double>(d).count(); }

// Politeness waits shorter than this are every request's per-host delay: debug, not info.
constexpr Clock::Duration kLongWait = std::chrono::seconds(5);

}  // namespace

void FetchLog::OnRequestStart(const std::string& host, Clock::SteadyTime started) {
  metrics_.RequestStarted(host, started);
}

void FetchLog::OnResponse(const std::string& host, const fetch::HttpResponse& r,
                          Clock::SteadyTime started, Clock::SteadyTime now) {
  const bool failed = fetch::IsTransient(r);
  metrics_.RequestEnded(host, started,
                        r.transport_ok() ? std::to_string(r.status)
                                         : std::string(fetch::TransportErrorName(r.error)),
                        failed);
  if (now - started >= kHostStalledAfter) {
    spdlog::info("slow response from {}: {} after {}", host, fetch::RetryReason(r),
                 fetch::FormatDelay(now - started));
  }
}

void FetchLog::OnRetry(const fetch::RetryEvent& e) {
  metrics_.RecordRetry(e.reason);
  spdlog::info("{}", fetch::DescribeRetry(e));
}

void FetchLog::OnWait(fetch::WaitKind kind, const std::string& host, Clock::Duration waited) {
  metrics_.RecordWait(fetch::WaitKindName(kind), Seconds(waited));
  const auto level = kind == fetch::WaitKind::kBackoff || waited >= kLongWait
                         ? spdlog::level::info
                         : spdlog::level::debug;
  spdlog::log(level, "waited {} for {} ({})", fetch::FormatDelay(waited), host, fetch::WaitKindName(kind));
}

}  // namespace archivist::daemon
