#include "base/file_access.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace archivist {
namespace {

std::string UserName(uid_t uid) {
  std::vector<char> buf(16384);
  struct passwd pw {};
  struct passwd* found = nullptr;
  if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr) {
    return found->pw_name;
  }
  return std::to_string(uid);
}

std::string GroupName(gid_t gid) {
  std::vector<char> buf(16384);
  struct group gr {};
  struct group* found = nullptr;
  if (::getgrgid_r(gid, &gr, buf.data(), buf.size(), &found) == 0 && found != nullptr) {
    return found->gr_name;
  }
  return std::to_string(gid);
}

std::string Owner(const struct stat& st) {
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return "owned by " + UserName(st.st_uid) + ":" + GroupName(st.st_gid) + " with mode " + mode;
}

// The first folder on the way to `path` that this process cannot search, with its owner.
std::string BlockedFolder(const std::string& path) {
  for (size_t slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    const std::string dir = path.substr(0, slash);
    struct stat st {};
    if (::access(dir.c_str(), X_OK) != 0 && ::stat(dir.c_str(), &st) == 0) {
      return "the folder " + dir + " is " + Owner(st);
    }
  }
  return "";
}

}  // namespace

std::string UnreadableReason(const std::string& path, int error) {
  if (path.starts_with("${CREDENTIALS_DIRECTORY}")) {
    return "$CREDENTIALS_DIRECTORY is not set (systemd sets it for a service with "
           "LoadCredential=; outside the service, give the file with --cookies-file)";
  }
  std::string reason = std::strerror(error);
  if (error != EACCES && error != EPERM) return reason;
  const uid_t uid = ::geteuid();
  reason += " for user " + UserName(uid) + " (uid " + std::to_string(uid) + ")";
  if (std::string folder = BlockedFolder(path); !folder.empty()) return reason + ": " + folder;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) reason += ": the file is " + Owner(st);
  return reason;
}

std::optional<std::string> CheckReadable(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return UnreadableReason(path, errno);
  ::close(fd);
  return std::nullopt;
}

}  // namespace archivist
