// What `archivist refresh` prints per thread besides its text line: the --json object, and
// whether --quiet prints the thread at all.
//
// Thread-safety: pure functions.
#ifndef ARCHIVIST_CLI_REFRESH_OUTPUT_H_
#define ARCHIVIST_CLI_REFRESH_OUTPUT_H_

#include <string>

#include "pipeline/pipeline.h"

namespace archivist::cli {

// True when the refresh failed in any way the exit status counts: the listing was not
// complete (or not_modified), the snapshot was superseded, the commit or the export failed.
bool RefreshFailed(const pipeline::RefreshSummary& s);

// --quiet prints a thread only when it changed or failed.
inline bool WorthPrintingWhenQuiet(const pipeline::RefreshSummary& s) {
  return s.changed || RefreshFailed(s);
}

// One line of JSON (docs/cli.md "refresh"): question, source, title, outcome, http_status,
// changed, added, edited, deleted, restored, title_changed, thread_added, thread_gone,
// thread_returned, answers, pages, fetch_ms, committed, superseded, error, export_path,
// export_error, fetch_error ({http_status, code, message, page} or null). Server text is
// bounded; invalid UTF-8 is replaced.
std::string RefreshJson(const pipeline::RefreshSummary& s);

}  // namespace archivist::cli

#endif  // ARCHIVIST_CLI_REFRESH_OUTPUT_H_
