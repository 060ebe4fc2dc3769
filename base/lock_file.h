// LockFile: advisory locks that say which process writes an archive, and who holds them.
//
// A file beside the archive (`<archive>.lock`) carries POSIX record locks (fcntl F_SETLK),
// one byte per role: byte 0 is the daemon's, held for its lifetime (one daemon per
// archive); byte 1 is a one-shot refresh of the due threads, held for its run. The kernel
// releases a lock when its process ends, however it ends, so a stale lock cannot outlive a
// crash; the holder's pid comes from the kernel (F_GETLK), and the pid is also written into
// the file for people who look. A lock is held only while its LockFile lives.
//
// POSIX record locks belong to the process and end when it closes ANY descriptor of the
// file: open the lock file once per process, through one LockFile, and keep it open.
//
// Thread-safety: one LockFile per process, used by one thread.
#ifndef ARCHIVIST_BASE_LOCK_FILE_H_
#define ARCHIVIST_BASE_LOCK_FILE_H_

#include <sys/types.h>

#include <optional>
#include <string>

#include "base/status.h"

namespace archivist {

class LockFile {
 public:
  enum class Role { kDaemon = 0, kDueRefresh = 1 };

  // The lock file of an archive: `<archive_path>.lock`.
  static std::string PathFor(const std::string& archive_path);

  // Opens the lock file of the archive at `archive_path` for TryLock, creating it (mode 0644)
  // when missing. A file root creates is given to the archive's owner, as SQLite does with
  // its -wal and -shm files, so that root writing into a service's archive (`--db`) leaves
  // nothing the service cannot open. kIoError names the file and the system's reason.
  static Result<LockFile> ForArchive(const std::string& archive_path);
  // Opens it read-only, only to ask who holds a role: kNotFound when there is no lock file
  // (then nobody ever held one).
  static Result<LockFile> Probe(const std::string& archive_path);

  LockFile(LockFile&& other) noexcept;
  LockFile& operator=(LockFile&& other) noexcept;
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;
  ~LockFile();

  // Takes `role` for this process without waiting. When another process holds it, returns
  // its pid in *holder and kUnavailable; kIoError for a system failure. On success the
  // file's text becomes this process's pid.
  Status TryLock(Role role, pid_t* holder);
  // The process that holds `role` (nullopt: none, or this process).
  std::optional<pid_t> Holder(Role role) const;

  const std::string& path() const { return path_; }

 private:
  LockFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
};

}  // namespace archivist

#endif  // ARCHIVIST_BASE_LOCK_FILE_H_
