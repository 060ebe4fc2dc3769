// Same-file tests by (device, inode) with a canonical-path fallback for missing files.
#include "base/file_identity.h"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>

namespace archivist {
namespace {

// The canonical form of `path` as far as it exists (links resolved), "" when unresolvable.
std::string Canonical(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::weakly_canonical(path, ec);
  return ec ? std::string() : p.string();
}

const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "a special file";
}

}  // namespace

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa {}, sb {};
  const bool has_a = ::stat(a.c_str(), &sa) == 0;
  const bool has_b = ::stat(b.c_str(), &sb) == 0;
  if (has_a && has_b) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  if (has_a != has_b) return false;
  const std::string ca = Canonical(a);
  return !ca.empty() && ca == Canonical(b);
}

Status CheckReplaceable(const std::string& target, const std::vector<ProtectedFile>& keep) {
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    return Status::InvalidArgument("refusing to replace " + target + ": it is " +
                                   KindOf(st.st_mode) + ", not a regular file");
  }
  for (const ProtectedFile& k : keep) {
    if (SameFile(target, k.path)) {
      return Status::InvalidArgument("refusing to replace " + target + ": it is " + k.what +
                                     " (" + k.path + ")");
    }
  }
  return Status::Ok();
}

}  // namespace archivist
