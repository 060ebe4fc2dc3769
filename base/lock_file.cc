#include "base/lock_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace archivist {
namespace {

struct flock Range(short type, LockFile::Role role) {
  struct flock l {};
  l.l_type = type;
  l.l_whence = SEEK_SET;
  l.l_start = static_cast<off_t>(role);
  l.l_len = 1;
  return l;
}

}  // namespace

std::string LockFile::PathFor(const std::string& archive_path) { return archive_path + ".lock"; }

namespace {

// An open descriptor of a regular file, or the error.
Result<int> OpenRegular(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) {
    const int err = errno;
    const std::string why = "cannot open the lock file " + path + ": " + std::strerror(err);
    return err == ENOENT ? Status::NotFound(why) : Status::IoError(why);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::IoError("the lock file " + path + " is not a regular file");
  }
  return fd;
}

}  // namespace

Result<LockFile> LockFile::ForArchive(const std::string& archive_path) {
  const std::string path = PathFor(archive_path);
  Result<int> fd = OpenRegular(path, O_RDWR | O_CREAT | O_EXCL);
  if (fd.ok()) {
    struct stat archive {};
    if (::geteuid() == 0 && ::stat(archive_path.c_str(), &archive) == 0 &&
        archive.st_uid != 0) {
      [[maybe_unused]] const int rc = ::fchown(*fd, archive.st_uid, archive.st_gid);
    }
  } else {
    fd = OpenRegular(path, O_RDWR);
  }
  if (!fd.ok()) return fd.status().code() == Status::Code::kNotFound
                           ? Status::IoError(fd.status().message())
                           : fd.status();
  return LockFile(path, *fd);
}

Result<LockFile> LockFile::Probe(const std::string& archive_path) {
  const std::string path = PathFor(archive_path);
  Result<int> fd = OpenRegular(path, O_RDONLY);
  if (!fd.ok()) return fd.status();
  return LockFile(path, *fd);
}

LockFile::LockFile(LockFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

LockFile& LockFile::operator=(LockFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

LockFile::~LockFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status LockFile::TryLock(Role role, pid_t* holder) {
  struct flock l = Range(F_WRLCK, role);
  if (::fcntl(fd_, F_SETLK, &l) != 0) {
    const int err = errno;
    if (err != EACCES && err != EAGAIN) {
      return Status::IoError("cannot lock " + path_ + ": " + std::strerror(err));
    }
    const std::optional<pid_t> pid = Holder(role);
    if (holder != nullptr) *holder = pid.value_or(0);
    return Status::Unavailable(path_ + " is locked by pid " + std::to_string(pid.value_or(0)));
  }
  // For people: the pid of the last holder, one line (the lock itself is the truth).
  const std::string text = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const ssize_t n = ::pwrite(fd_, text.data(), text.size(), 0);
  }
  return Status::Ok();
}

std::optional<pid_t> LockFile::Holder(Role role) const {
  struct flock l = Range(F_WRLCK, role);
  if (::fcntl(fd_, F_GETLK, &l) != 0 || l.l_type == F_UNLCK) return std::nullopt;
  return l.l_pid;
}

}  // namespace archivist
