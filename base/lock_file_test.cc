#include "base/lock_file.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace archivist {
namespace {

std::string TempArchive() {
  return (std::filesystem::temp_directory_path() /
          ("archivist_lock_test_" + std::to_string(::getpid()) + ".db"))
      .string();
}

TEST(LockFile, AnotherProcessIsRefusedWithTheHoldersPid) {
  const std::string archive = TempArchive();
  const std::string path = LockFile::PathFor(archive);
  std::filesystem::remove(path);
  EXPECT_EQ(LockFile::Probe(archive).status().code(), Status::Code::kNotFound);
  Result<LockFile> lock = LockFile::ForArchive(archive);
  ASSERT_TRUE(lock.ok()) << lock.status().ToString();
  ASSERT_TRUE(lock->TryLock(LockFile::Role::kDaemon, nullptr).ok());
  std::ifstream text(path);
  std::string pid;
  text >> pid;
  EXPECT_EQ(pid, std::to_string(::getpid()));
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  if (child == 0) {  // another process: the daemon byte is refused, the other one is free
    Result<LockFile> other = LockFile::ForArchive(archive);
    pid_t holder = 0;
    const bool refused = other.ok() &&
        other->TryLock(LockFile::Role::kDaemon, &holder).code() == Status::Code::kUnavailable;
    const bool free = other.ok() && other->TryLock(LockFile::Role::kDueRefresh, nullptr).ok();
    const std::string out = std::to_string(refused) + std::to_string(free) + " " +
                            std::to_string(holder);
    [[maybe_unused]] ssize_t n = ::write(fds[1], out.data(), out.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  char buf[64] = {};
  ASSERT_GT(::read(fds[0], buf, sizeof buf - 1), 0);
  ::close(fds[0]);
  ::waitpid(child, nullptr, 0);
  EXPECT_EQ(std::string(buf), "11 " + std::to_string(::getpid()));
  EXPECT_FALSE(lock->Holder(LockFile::Role::kDaemon).has_value());  // our own lock
  std::filesystem::remove(path);
}

TEST(LockFile, ALockFileThatIsNotAFileIsRefused) {
  const std::string archive = TempArchive();
  const std::string path = LockFile::PathFor(archive);
  std::filesystem::remove_all(path);
  std::filesystem::create_directory(path);
  Result<LockFile> lock = LockFile::ForArchive(archive);
  EXPECT_FALSE(lock.ok());
  std::filesystem::remove_all(path);
}

}  // namespace
}  // namespace archivist
