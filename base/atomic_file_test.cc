#include "base/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "tests/support/files.h"
#include "tests/support/temp_dir.h"

namespace archivist {
namespace {

namespace fs = std::filesystem;
using test_support::ReadFile;

class AtomicFileTest : public ::testing::Test {
 protected:
  int Files() const {
    int files = 0;
    for (const auto& e : fs::directory_iterator(dir_)) files += e.is_regular_file();
    return files;
  }
  test_support::TempDir temp_{"atomic_file_test"};
  const std::string dir_ = temp_.path();
};

TEST_F(AtomicFileTest, ReplacesAndLeavesNoTemporaryFile) {
  ASSERT_TRUE(WriteFileAtomically(dir_ + "/a.md", "one").ok());
  ASSERT_TRUE(WriteFileAtomically(dir_ + "/a.md", "two").ok());
  EXPECT_EQ(ReadFile(dir_ + "/a.md"), "two");
  EXPECT_EQ(Files(), 1);
  struct stat st;
  ASSERT_EQ(::stat((dir_ + "/a.md").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST_F(AtomicFileTest, NotDurableWritesTheSameBytes) {
  AtomicWriteOptions options;
  options.durable = false;
  ASSERT_TRUE(WriteFileAtomically(dir_ + "/cache.bin", std::string("a\0b", 3), options).ok());
  EXPECT_EQ(ReadFile(dir_ + "/cache.bin"), std::string("a\0b", 3));
  EXPECT_EQ(Files(), 1);
}

TEST_F(AtomicFileTest, AFailureNamesThePathAndLeavesTheTargetAlone) {
  const std::string missing = dir_ + "/no/such/dir/a.md";
  Status st = WriteFileAtomically(missing, "x");
  EXPECT_EQ(st.code(), Status::Code::kIoError);
  EXPECT_NE(st.message().find(missing), std::string::npos) << st.message();
  // A directory in the target's place: the rename fails, the temporary file is removed.
  fs::create_directory(dir_ + "/taken");
  fs::create_directory(dir_ + "/taken/inside");
  st = WriteFileAtomically(dir_ + "/taken", "x");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find(dir_ + "/taken"), std::string::npos) << st.message();
  EXPECT_EQ(Files(), 0);
  EXPECT_TRUE(fs::is_directory(dir_ + "/taken/inside"));
}

}  // namespace
}  // namespace archivist
