#include "cli/fetch_notices.h"

#include <unistd.h>

#include <cstdio>

#include "base/terminal_text.h"

namespace archivist::cli {
namespace {

constexpr Clock::Duration kLongWait = std::chrono::seconds(5);
constexpr Clock::Duration kSlowResponse = std::chrono::seconds(15);

}  // namespace

FetchNotices::FetchNotices(std::string verb)
    : verb_(std::move(verb)), terminal_(::isatty(STDERR_FILENO) != 0) {}

void FetchNotices::Print(const std::string& text) {
  const std::string safe = TerminalSafe(text);
  std::lock_guard lock(mu_);
  std::fprintf(stderr, "%sarchivist %s: %s\n", terminal_ ? "\r\x1b[K" : "", verb_.c_str(),
               safe.c_str());
}

void FetchNotices::OnResponse(const std::string& host, const fetch::HttpResponse& r,
                              Clock::SteadyTime started, Clock::SteadyTime now) {
  if (now - started < kSlowResponse) return;
  Print("slow response from " + host + ": " + fetch::RetryReason(r) + " after " +
        fetch::FormatDelay(now - started));
}

void FetchNotices::OnRetry(const fetch::RetryEvent& e) { Print(fetch::DescribeRetry(e)); }

void FetchNotices::OnWait(fetch::WaitKind kind, const std::string& host, Clock::Duration waited) {
  if (kind == fetch::WaitKind::kPoliteness && waited < kLongWait) return;
  Print("waited " + fetch::FormatDelay(waited) + " for " + host + " (" +
        std::string(fetch::WaitKindName(kind)) + ")");
}

}  // namespace archivist::cli
