#include "daemon/logging.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "base/terminal_text.h"

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

namespace {

// Hands each message to `inner` with its payload made TerminalSafe.
class TerminalSafeSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit TerminalSafeSink(std::shared_ptr<spdlog::sinks::sink> inner) : inner_(std::move(inner)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string safe = TerminalSafe(std::string_view(msg.payload.data(), msg.payload.size()));
    spdlog::details::log_msg copy(msg);
    copy.payload = spdlog::string_view_t(safe.data(), safe.size());
    inner_->log(copy);
  }
  void flush_() override { inner_->flush(); }

 private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
};

}  // namespace

LogTarget SetUpLogging(bool verbose) {
  std::shared_ptr<spdlog::logger> logger;
  LogTarget target;
  if (StderrIsJournal()) {
    // The journal adds its own time stamp and identifier; the priority carries the level.
    auto sink = std::make_shared<spdlog::sinks::systemd_sink_mt>("archivist");
    sink->set_pattern("%v");
    logger = std::make_shared<spdlog::logger>("archivist", std::make_shared<TerminalSafeSink>(sink));
    target = LogTarget::kJournal;
  } else {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
    logger = std::make_shared<spdlog::logger>("archivist", std::make_shared<TerminalSafeSink>(sink));
    target = LogTarget::kStderr;
  }
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  return target;
}

}  // namespace archivist::daemon
