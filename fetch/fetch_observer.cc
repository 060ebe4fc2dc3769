#include "fetch/fetch_observer.h"

#include <cstdio>

#include "base/bounded_text.h"

namespace archivist::fetch {

std::string_view WaitKindName(WaitKind kind) {
  return kind == WaitKind::kBackoff ? "backoff" : "politeness";
}

std::string RetryReason(const HttpResponse& r) {
  if (r.transport_ok()) return "http_" + std::to_string(r.status);
  return std::string(TransportErrorName(r.error));
}

std::string FormatDelay(Clock::Duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  char buf[32];
  if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(ms));
  } else if (ms % 1000 == 0) {
    std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(ms / 1000));
  } else {
    std::snprintf(buf, sizeof buf, "%.1fs", ms / 1000.0);
  }
  return buf;
}

std::string DescribeRetry(const RetryEvent& e) {
  std::string out = "retry " + BoundText(e.url, 200) + " in " + FormatDelay(e.delay) +
                    ": reason=" + e.reason + " status=" + std::to_string(e.status);
  if (e.retry_after) out += " retry_after=" + FormatDelay(e.delay);
  return out + " attempt=" + std::to_string(e.attempt) + "/" + std::to_string(e.max_attempts);
}

}  // namespace archivist::fetch
