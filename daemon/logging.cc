#include "daemon/logging.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "daemon/metrics.h"
#include "daemon/scheduler.h"

namespace archivist::daemon {
namespace {

std::string EventsText(const pipeline::RefreshSummary& s) {
  std::string out;
  for (int k = 0; k < kEventKinds; ++k) {
    const model::EventKind kind = static_cast<model::EventKind>(k);
    if (s.Count(kind) == 0) continue;
    out += (out.empty() ? "" : " ") + std::string(model::EventKindName(kind)) + "=" +
           std::to_string(s.Count(kind));
  }
  return out.empty() ? "none" : out;
}

// What makes a refresh worth a warning: its fetch's failure, an export failed after the commit.
std::string ErrorText(const pipeline::RefreshSummary& s) {
  std::string out;
  if (s.outcome != model::Outcome::kComplete) {
    out = s.fetch_error.message.empty() ? std::string(model::OutcomeName(s.outcome))
                                        : s.fetch_error.message;
  }
  if (s.error.ok() && !s.export_error.ok()) {
    out += (out.empty() ? "" : "; ") + s.export_error.WithContext("export").ToString();
  }
  return out;
}

}  // namespace

RefreshLine FormatRefresh(const store::ThreadKey& key, const pipeline::RefreshSummary& s,
                          int64_t next_in_seconds) {
  const std::string error = ErrorText(s);
  RefreshLine line;
  line.text = fmt::format(
      "refresh {} {} http={} pages={} answers={} events={} ({}) fetch={}ms next_in={}s{}{}",
      store::ToString(key), model::OutcomeName(s.outcome), s.HttpStatus(), s.pages,
      s.answers_now, s.EventCount(), EventsText(s), s.fetch_duration.count(), next_in_seconds,
      error.empty() ? "" : " error=", error);
  line.warning = !IsSuccess(s.outcome) || !error.empty();
  return line;
}

bool StderrIsJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  uintmax_t dev = 0, ino = 0;
  if (std::sscanf(stream, "%" SCNuMAX ":%" SCNuMAX, &dev, &ino) != 2) return false;
  struct stat st;
  if (::fstat(STDERR_FILENO, &st) != 0) return false;
  return st.st_dev == dev && st.st_ino == ino;
}

LogTarget SetUpLogging(bool verbose) {
  std::shared_ptr<spdlog::logger> logger;
  LogTarget target;
  if (StderrIsJournal()) {
    // The journal adds its own time stamp and identifier; the priority carries the level.
    auto sink = std::make_shared<spdlog::sinks::systemd_sink_mt>("archivist");
    sink->set_pattern("%v");
    logger = std::make_shared<spdlog::logger>("archivist", sink);
    target = LogTarget::kJournal;
  } else {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
    logger = std::make_shared<spdlog::logger>("archivist", sink);
    target = LogTarget::kStderr;
  }
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  return target;
}

}  // namespace archivist::daemon
