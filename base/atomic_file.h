// WriteFileAtomically: replace a file so that readers see the old bytes or the new ones,
// never a part. The export directory, `archivist convert --out-dir` and the keyword tagger's
// compiled cache all write through it.
//
// Recipe: mkstemp beside the target (same file system, so rename is atomic), write all,
// optionally fsync, close, rename over the target, then (when durable) fsync the directory
// so the rename itself survives a crash. Any failure unlinks the temporary file and leaves
// the target as it was; the error names the path and the step.
//
// Thread-safety: reentrant (each call has its own temporary file).
#ifndef ARCHIVIST_BASE_ATOMIC_FILE_H_
#define ARCHIVIST_BASE_ATOMIC_FILE_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace archivist {

struct AtomicWriteOptions {
  // fsync the file and its directory: the new bytes survive a power loss once this returns.
  // Off for derived files that are checked when read (a cache) or cheap to write again.
  bool durable = true;
  unsigned mode = 0644;  // mkstemp creates 0600; written files are meant to be read
};

Status WriteFileAtomically(const std::string& path, std::string_view bytes,
                           const AtomicWriteOptions& options = {});

}  // namespace archivist

#endif  // ARCHIVIST_BASE_ATOMIC_FILE_H_
