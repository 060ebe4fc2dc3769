// base/file_identity: whether two paths name the same file, and whether an output may replace
// whatever is at its path.
//
// Writers that put a new file in place by renaming it over the old one (backup, export,
// convert --out-dir) must never replace the archive they read from — its own name, a hard or
// symbolic link to it, or one of SQLite's sidecar files — nor anything that is not a plain
// file: renaming over a device node, a FIFO or a socket destroys it, and a directory cannot
// be replaced. CheckReplaceable says which, before anything is written.
//
// Two paths name the same file when, after following symbolic links, they have the same
// device and inode, or, for a file that does not exist (yet) such as the WAL that SQLite
// creates on the next write, when their canonical paths are equal.
//
// Thread-safety: stateless; answers describe the file system at the time of the call.
#ifndef ARCHIVIST_BASE_FILE_IDENTITY_H_
#define ARCHIVIST_BASE_FILE_IDENTITY_H_

#include <string>
#include <vector>

#include "base/status.h"

namespace archivist {

// A file an output must never replace, and how to name it in a message ("the archive").
struct ProtectedFile {
  std::string path;
  std::string what;
};

// True when `a` and `b` name the same file (see the file comment).
bool SameFile(const std::string& a, const std::string& b);

// OK when `target` does not exist, or is a regular file (links followed) that is none of
// `keep`. Otherwise kInvalidArgument naming `target` and why: "is not a regular file (a
// directory)", or "is the archive (/var/lib/archivist/archive.db)".
Status CheckReplaceable(const std::string& target, const std::vector<ProtectedFile>& keep);

}  // namespace archivist

#endif  // ARCHIVIST_BASE_FILE_IDENTITY_H_
