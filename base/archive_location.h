// Where an archive lives: a file path (SQLite) or a postgresql:// URI (store/open.h).
//
// The configuration, the CLI and the daemon tell the two apart with IsDatabaseUri (a URI is
// never made relative to the configuration's folder, never gets a lock file beside it), and
// print a location only through RedactLocation, so a password written into a URI never
// reaches a log, an error or /metrics.
//
// Thread-safety: pure functions.
#ifndef ARCHIVIST_BASE_ARCHIVE_LOCATION_H_
#define ARCHIVIST_BASE_ARCHIVE_LOCATION_H_

#include <string>
#include <string_view>

namespace archivist {

// True for postgresql://… and postgres://… (lower case, as libpq takes them).
bool IsDatabaseUri(std::string_view location);

// The location as it may be shown: a URI's password (in the user part or a password=
// parameter) replaced by "***"; a path unchanged.
std::string RedactLocation(std::string_view location);

// `text` (an error message that may quote what libpq was given) with every password that
// `location` carries — as written and percent-decoded — replaced by "***". A path, or a URI
// without a password, leaves the text unchanged.
std::string RedactPasswordsIn(std::string_view text, std::string_view location);

}  // namespace archivist

#endif  // ARCHIVIST_BASE_ARCHIVE_LOCATION_H_
