#include "daemon/logging.h"

#include <spdlog/fmt/fmt.h>
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

#include "base/bounded_text.h"
#include "base/terminal_text.h"

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
  if (!s.media.error.ok()) {
    out += (out.empty() ? "" : "; ") + s.media.error.WithContext("images").ToString();
  }
  return out;
}

}  // namespace

RefreshLine FormatRefresh(const store::ThreadKey& key, const pipeline::RefreshSummary& s,
                          int64_t next_in_seconds) {
  const std::string error = ErrorText(s);
  RefreshLine line;
  line.text = fmt::format(
      "refresh {} {} http={} pages={} answers={} events={} ({}) fetch={}ms next_in={}s{}{}{}{}{}",
      store::ToString(key), model::OutcomeName(s.outcome), s.HttpStatus(), s.pages,
      s.answers_now, s.EventCount(), EventsText(s), s.fetch_duration.count(), next_in_seconds,
      s.skipped_items > 0 ? fmt::format(" skipped_items={}", s.skipped_items) : "",
      s.media.ran && s.media.stored + s.media.failed + s.media.retry + s.media.left > 0
          ? fmt::format(" images=stored:{},failed:{},retry:{},left:{}", s.media.stored,
                        s.media.failed, s.media.retry, s.media.left)
          : "",
      s.superseded ? " superseded (another refresh of the thread committed first; not stored)"
                   : "",
      error.empty() ? "" : " error=", BoundText(error));
  line.warning = !IsSuccess(s.outcome) || !error.empty() || s.superseded;
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
    // Local time with its UTC offset (ISO 8601), so a line read later or elsewhere is
    // unambiguous: 2026-01-17T16:00:02.540+08:00 info …
    sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
    logger = std::make_shared<spdlog::logger>("archivist", std::make_shared<TerminalSafeSink>(sink));
    target = LogTarget::kStderr;
  }
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  return target;
}

}  // namespace archivist::daemon
