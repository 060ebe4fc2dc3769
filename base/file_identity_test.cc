#include "base/file_identity.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace archivist {
namespace {

namespace fs = std::filesystem;

class FileIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/file_identity_test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    db_ = dir_ + "/archive.db";
    std::ofstream(db_) << "db";
    keep_ = {{db_, "the archive"}, {db_ + "-wal", "the archive's write-ahead log"}};
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string dir_, db_;
  std::vector<ProtectedFile> keep_;
};

TEST_F(FileIdentityTest, NewAndDistinctRegularFilesMayBeReplaced) {
  EXPECT_TRUE(CheckReplaceable(dir_ + "/backup.db", keep_).ok());
  std::ofstream(dir_ + "/old.db") << "old";
  EXPECT_TRUE(CheckReplaceable(dir_ + "/old.db", keep_).ok());
}

TEST_F(FileIdentityTest, TheArchiveUnderAnyNameIsRefused) {
  fs::create_hard_link(db_, dir_ + "/hard.db");
  fs::create_symlink(db_, dir_ + "/soft.db");
  fs::create_directory(dir_ + "/sub");
  for (const std::string& name : {db_, dir_ + "/hard.db", dir_ + "/soft.db",
                                  dir_ + "/sub/../archive.db", dir_ + "//./archive.db"}) {
    const Status st = CheckReplaceable(name, keep_);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << name;
    EXPECT_NE(st.message().find("it is the archive (" + db_ + ")"), std::string::npos)
        << st.message();
  }
}

TEST_F(FileIdentityTest, AMissingSidecarIsRefusedByName) {
  const Status st = CheckReplaceable(dir_ + "/sub/../archive.db-wal", keep_);
  EXPECT_NE(st.message().find("write-ahead log"), std::string::npos) << st.message();
  EXPECT_TRUE(SameFile(dir_ + "/archive.db-wal", dir_ + "/./archive.db-wal"));
  EXPECT_FALSE(SameFile(dir_ + "/archive.db-wal", dir_ + "/archive.db-shm"));
}

TEST_F(FileIdentityTest, WhatIsNotARegularFileIsRefused) {
  ASSERT_EQ(::mkfifo((dir_ + "/fifo").c_str(), 0600), 0);
  fs::create_directory(dir_ + "/dir");
  fs::create_symlink("/dev/null", dir_ + "/null");
  const std::pair<std::string, std::string> cases[] = {{dir_ + "/fifo", "a FIFO"},
                                                       {dir_ + "/dir", "a directory"},
                                                       {"/dev/null", "a character device"},
                                                       {dir_ + "/null", "a character device"}};
  for (const auto& [path, kind] : cases) {
    const Status st = CheckReplaceable(path, {});
    EXPECT_NE(st.message().find("it is " + kind + ", not a regular file"), std::string::npos)
        << st.message();
  }
}

TEST_F(FileIdentityTest, SameFile) {
  EXPECT_TRUE(SameFile(db_, dir_ + "/./archive.db"));
  EXPECT_FALSE(SameFile(db_, dir_ + "/other.db"));
  std::ofstream(dir_ + "/copy.db") << "db";
  EXPECT_FALSE(SameFile(db_, dir_ + "/copy.db"));
}

}  // namespace
}  // namespace archivist
