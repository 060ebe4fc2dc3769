// Atomic file replacement (see atomic_file.h).
#include "base/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace archivist {
namespace {

std::string Errno(int err) { return std::strerror(err); }

// Closes a file descriptor on scope exit (RAII owner).
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError("writing " + path + ": " + Errno(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

std::string DirOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Status WriteAndRename(int fd, const std::string& tmp, const std::string& path,
                      std::string_view bytes, const AtomicWriteOptions& options) {
  Fd owner(fd);
  if (::fchmod(fd, static_cast<mode_t>(options.mode)) != 0) {
    return Status::IoError("chmod " + tmp + ": " + Errno(errno));
  }
  ARCHIVIST_RETURN_IF_ERROR(WriteAll(fd, bytes, tmp));
  if (options.durable && ::fsync(fd) != 0) {
    return Status::IoError("syncing " + tmp + ": " + Errno(errno));
  }
  if (::close(owner.Release()) != 0) return Status::IoError("closing " + tmp + ": " + Errno(errno));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::IoError("renaming " + tmp + " to " + path + ": " + Errno(errno));
  }
  return Status::Ok();
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view bytes,
                           const AtomicWriteOptions& options) {
  std::string tmp = path + ".tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    return Status::IoError("cannot create a temporary file for " + path + ": " + Errno(errno));
  }
  Status st = WriteAndRename(fd, tmp, path, bytes, options);
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  if (!options.durable) return Status::Ok();
  const std::string dir = DirOf(path);
  Fd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.get() >= 0 && ::fsync(dfd.get()) != 0 && errno != EINVAL) {
    return Status::IoError("syncing directory " + dir + ": " + Errno(errno));
  }
  return Status::Ok();
}

}  // namespace archivist
