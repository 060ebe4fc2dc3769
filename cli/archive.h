// Helpers shared by the archive verbs (add, remove, list, refresh, history, diff, show,
// export, renormalize, backup): opening the store named by --db, parsing question / TIME
// arguments, the keyword tagger, and mapping errors to exit statuses.
//
// Exit statuses (docs/cli.md): bad usage — a malformed question reference, answer id or
// TIME, an unknown question, answer or revision — is 2; a store that cannot be opened or
// written (not an archivist database, a newer schema, read-only, full disk) and fetch
// failures are 1. Every message names the input and says what is wrong.
#ifndef ARCHIVIST_CLI_ARCHIVE_H_
#define ARCHIVIST_CLI_ARCHIVE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "base/time.h"
#include "cli/verbs.h"
#include "pipeline/document.h"
#include "pipeline/tagger.h"
#include "store/store.h"

namespace archivist::cli {

// --db, else $XDG_DATA_HOME/archivist/archive.db, else ~/.local/share/archivist/archive.db.
// The archive's path: --db, else the configuration's store.path (config/config.h: the file
// named by --config, $XDG_CONFIG_HOME/archivist/archivist.toml or /etc/archivist/archivist.toml,
// else the default location). A bad configuration fails with kConfigErrorPrefix.
Result<std::string> StorePath(const GlobalOptions& global);
inline constexpr std::string_view kConfigErrorPrefix = "configuration: ";
// The same for a verb that only reads the archive: only store.path must be valid; a problem
// with another key is printed as a warning (once per process, naming `verb`), not an error.
Result<std::string> ReadOnlyStorePath(const GlobalOptions& global, std::string_view verb);
// The exit status for a failed OpenArchive: 2 for a bad configuration, else 1.
int OpenArchiveExit(const Status& status);

// Opens the archive. Writable opens create the file (and its directory) when missing and
// refuse a damaged file (PRAGMA quick_check, kCorruption saying what to do); read-only opens
// never write and fail on a missing file. Errors are printed as "archivist <verb>: <message>".
Result<std::unique_ptr<store::Store>> OpenArchive(const GlobalOptions& global, bool read_only);
// A read-only open for `verb`, whose store path is ReadOnlyStorePath's.
Result<std::unique_ptr<store::Store>> OpenArchiveToRead(const GlobalOptions& global,
                                                        std::string_view verb);

// Prints "archivist <verb>: <message>" to stderr, the message made TerminalSafe
// (base/terminal_text.h): errors quote server text and user input. A configuration error
// (LoadEffectiveConfig's, or OpenArchive's with kConfigErrorPrefix) keeps the line breaks
// of its error list.
void PrintError(std::string_view verb, const Status& status);
void PrintError(std::string_view verb, std::string_view message);
void PrintConfigError(std::string_view verb, const Status& status);

// Writes text meant to span lines (a document, a diff) to stdout: verbatim, except on a
// terminal, where it is made TerminalSafe with its layout kept, `paint` (when given and
// ColourWanted) colours it, and a long text goes through the pager unless `no_pager`
// (cli/pager.h). Returns false on a write error.
bool WriteLayoutText(std::string_view text, bool no_pager = true,
                     std::string (*paint)(std::string_view safe) = nullptr);

// A question URL or id → its thread key (error names the text).
Result<store::ThreadKey> ParseQuestion(std::string_view text);
// A TIME as docs/cli.md describes it: ISO 8601 (without an offset: in the display zone), a
// duration ago (24h, 7d, 90m), now, today, yesterday (base/time.h ParseTimeSpec, relative to
// the real clock). The error names the option and the text.
Result<Timestamp> ParseTime(std::string_view option, std::string_view text);

// A time for a person: ISO 8601 in the display zone ($TZ when set, else UTC), with its offset.
// --json output and documents keep UTC (Timestamp::ToIso8601).
std::string HumanTime(Timestamp t);

// The thread must be in the archive; kNotFound names it otherwise.
Status RequireThread(store::Store& store, const store::ThreadKey& key);

// The keyword tagger (pipeline/tagger.h).
using pipeline::LoadTagger;

// Exit status for a store/query error: kNotFound and kInvalidArgument of user input → 2
// when `user_input`, else 1.
int ExitFor(const Status& status, bool user_input);

}  // namespace archivist::cli

#endif  // ARCHIVIST_CLI_ARCHIVE_H_
