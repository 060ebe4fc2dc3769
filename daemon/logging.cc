#include "daemon/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

namespace archivist::daemon {

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
    // Local time with its UTC offset (ISO 8601), so a line read later or elsewhere is
    // unambiguous: 2026-01-17T16:00:02.540+08:00 info …
    sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
    logger = std::make_shared<spdlog::logger>("archivist", sink);
    target = LogTarget::kStderr;
  }
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  return target;
}

}  // namespace archivist::daemon
