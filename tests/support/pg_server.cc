#include "tests/support/pg_server.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "tests/support/files.h"

namespace archivist::test_support {
namespace {

constexpr const char* kDefaultBin = "/usr/lib/postgresql/15/bin";
constexpr const char* kRunuser = "/usr/sbin/runuser";

// The last `n` bytes of `text`, for messages.
std::string Tail(const std::string& text, size_t n = 2000) {
  return text.size() <= n ? text : "…" + text.substr(text.size() - n);
}

// Gives `path` and everything under it to `uid`:`gid`.
bool ChownTree(const std::string& path, uid_t uid, gid_t gid) {
  if (::chown(path.c_str(), uid, gid) != 0) return false;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec)) {
    if (::lchown(entry.path().c_str(), uid, gid) != 0) return false;
  }
  return !ec;
}

}  // namespace

PgServer::PgServer() : dir_("archivist_pg") {
  const char* bin = std::getenv("ARCHIVIST_PG_BIN");
  bin_dir_ = bin != nullptr && bin[0] != '\0' ? bin : kDefaultBin;
  as_nobody_ = ::geteuid() == 0;
}

PgServer::~PgServer() {
  if (running_) {
    (void)Run({Bin("pg_ctl"), "-D", dir_.Path("data"), "-m", "immediate", "-w", "stop"},
              "pg_ctl.log");
  }
}

std::string PgServer::Bin(const std::string& program) const { return bin_dir_ + "/" + program; }

std::string PgServer::Log() const {
  return Tail(ReadFile(dir_.Path("server.log")));
}

std::string PgServer::Run(const std::vector<std::string>& argv,
                          const std::string& log_name) const {
  std::vector<std::string> full;
  if (as_nobody_) full = {kRunuser, "-u", "nobody", "--"};
  full.insert(full.end(), argv.begin(), argv.end());
  std::vector<char*> args;
  for (std::string& a : full) args.push_back(a.data());
  args.push_back(nullptr);
  const std::string log = dir_.Path(log_name);
  const pid_t pid = ::fork();
  if (pid < 0) return std::string("fork: ") + std::strerror(errno);
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, 0);
    if (::chdir(dir_.path().c_str()) != 0) ::_exit(126);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  std::string what = full[as_nobody_ ? 4 : 0];
  return what + " failed (status " + std::to_string(status) + "): " + Tail(ReadFile(log));
}

std::string PgServer::Start() {
  if (running_) return "";
  if (::access(Bin("initdb").c_str(), X_OK) != 0) {
    return "no PostgreSQL server programs in " + bin_dir_ +
           " (install Debian's postgresql package, or set ARCHIVIST_PG_BIN)";
  }
  if (as_nobody_) {
    const passwd* pw = ::getpwnam("nobody");
    if (pw == nullptr) return "running as root, but there is no user nobody to run the server";
    if (!ChownTree(dir_.path(), pw->pw_uid, pw->pw_gid)) {
      return "cannot give " + dir_.path() + " to nobody: " + std::strerror(errno);
    }
  }
  std::string err = Run({Bin("initdb"), "-D", dir_.Path("data"), "-U", "archivist", "-A",
                         "trust", "-E", "UTF8", "--locale=C", "--no-sync"},
                        "initdb.log");
  if (!err.empty()) return err;
  const std::string options = "-c listen_addresses='' -c unix_socket_directories='" +
                              dir_.path() + "' -c fsync=off -c synchronous_commit=off "
                              "-c full_page_writes=off";
  err = Run({Bin("pg_ctl"), "-D", dir_.Path("data"), "-l", dir_.Path("server.log"), "-w",
             "-t", "60", "-o", options, "start"},
            "pg_ctl.log");
  if (!err.empty()) return err + "\nserver log: " + Log();
  running_ = true;
  return "";
}

std::string PgServer::CreateDatabase(const std::string& name) {
  if (!running_) return "the server is not running";
  return Run({Bin("createdb"), "-h", dir_.path(), "-U", "archivist", name}, "createdb.log");
}

std::string PgServer::Uri(const std::string& database) const {
  return "postgresql://archivist@/" + database + "?host=" + dir_.path();
}

}  // namespace archivist::test_support
