// Logging for the daemon: spdlog, to the journal with priorities when stderr is connected
// to it (systemd sets $JOURNAL_STREAM to stderr's device:inode), else to stderr; and the one
// line a finished refresh is logged as (docs/operations.md "Logs").
//
// Thread-safety: call SetUpLogging once before starting threads; the logger is thread-safe.
#ifndef ARCHIVIST_DAEMON_LOGGING_H_
#define ARCHIVIST_DAEMON_LOGGING_H_

#include <cstdint>
#include <string>

#include "pipeline/pipeline.h"

namespace archivist::daemon {

enum class LogTarget { kJournal, kStderr };

// Installs the default spdlog logger ("archivist") and returns where it writes.
LogTarget SetUpLogging(bool verbose = false);

// True when $JOURNAL_STREAM names the file stderr is (systemd's documented test).
bool StderrIsJournal();

// "refresh zhihu:123 complete http=200 pages=3 answers=40 events=2 (answer_added=1
// answer_edited=1) fetch=812ms next_in=5400s[ error=…]". `warning` when the fetch did not
// succeed or the export failed after the commit.
struct RefreshLine {
  std::string text;
  bool warning = false;
};
RefreshLine FormatRefresh(const store::ThreadKey& key, const pipeline::RefreshSummary& summary,
                          int64_t next_in_seconds);

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_LOGGING_H_
