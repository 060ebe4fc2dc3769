// Why a file cannot be read, in words an operator can act on. "cannot read X" alone does not
// say that the service's user (a unit's DynamicUser, say) is not allowed to: for a permission
// error the reason names the user the process runs as and the file's owner and mode.
//
// Thread-safety: reentrant (getpwuid_r / getgrgid_r).
#ifndef ARCHIVIST_BASE_FILE_ACCESS_H_
#define ARCHIVIST_BASE_FILE_ACCESS_H_

#include <optional>
#include <string>

namespace archivist {

// The reason for `error` (an errno value from opening `path` for reading), e.g.
// "No such file or directory", or "Permission denied for user archivist (uid 61234): the
// file is owned by root:root with mode 0600" (and, when the file itself is readable, which
// folder on its way is not).
std::string UnreadableReason(const std::string& path, int error);

// nullopt when this process can open `path` for reading; else UnreadableReason.
std::optional<std::string> CheckReadable(const std::string& path);

}  // namespace archivist

#endif  // ARCHIVIST_BASE_FILE_ACCESS_H_
