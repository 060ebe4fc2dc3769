// SqliteStore and its file: backup as a consistent copy and its refusals, a read-only archive,
// and a full disk. (Fault injection is store_contract_test.cc's.) The fixture is
// store_fixture_test_util.h.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "store/sqlite_store.h"

#include "store/store_fixture_test_util.h"

namespace archivist::store::testing {
namespace {


TEST_F(SqliteFileTest, BackupIsAConsistentCopy) {
  ASSERT_TRUE(Refresh(100, Snap({A(1, "one"), A(2, "two")})).ok());
  const std::string copy = dir_.Path("copy.db");
  ASSERT_TRUE(store_->Backup(copy).ok());
  ASSERT_TRUE(Refresh(200, Snap({A(1, "one v2", 120), A(2, "two")})).ok());
  auto restored = SqliteStore::Open(copy);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  auto events = (*restored)->Events({{"zhihu", kQ}, std::nullopt, std::nullopt});
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 3u);
  EXPECT_EQ(Query(copy, "PRAGMA integrity_check"), "ok\n");
  for (const auto& e : std::filesystem::directory_iterator(dir_.Path("."))) {
    EXPECT_EQ(e.path().string().find(".archivist-tmp"), std::string::npos) << e.path();
  }
  EXPECT_FALSE(store_->Backup(dir_.Path("no/such/dir/copy.db")).ok());
}

// Renaming a copy over the live file (under any of its names) would leave this connection
// writing into an unlinked inode: every later commit lost, the file at the path stale.
TEST_F(SqliteFileTest, BackupRefusesTheArchiveItselfAndWhatIsNotAFile) {
  ASSERT_TRUE(Refresh(100, Snap({A(1, "one")})).ok());
  ASSERT_EQ(::link(path_.c_str(), dir_.Path("hard.db").c_str()), 0);
  ASSERT_EQ(::symlink(path_.c_str(), dir_.Path("soft.db").c_str()), 0);
  ASSERT_EQ(::mkdir(dir_.Path("dir").c_str(), 0700), 0);
  const std::pair<std::string, std::string> refused[] = {
      {path_, "it is the archive"},
      {dir_.Path("dir/../archive.db"), "it is the archive"},
      {dir_.Path("hard.db"), "it is the archive"},
      {dir_.Path("soft.db"), "it is the archive"},
      {path_ + "-wal", "write-ahead log"},
      {path_ + "-journal", "rollback journal"},
      {dir_.Path("dir"), "a directory, not a regular file"},
      {dir_.Path("fifo"), "a FIFO, not a regular file"}};
  // A special file of our own, never a system one: a build without the check replaces it.
  ASSERT_EQ(::mkfifo(dir_.Path("fifo").c_str(), 0600), 0);
  for (const auto& [target, why] : refused) {
    const Status st = store_->Backup(target);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << target;
    EXPECT_NE(st.message().find(why), std::string::npos) << st.message();
  }
  // Still the live file: a later commit is visible to a fresh connection.
  ASSERT_TRUE(Refresh(200, Snap({A(1, "one"), A(2, "two")})).ok());
  EXPECT_EQ(Query(path_, "SELECT count(*) FROM answers"), "2\n");
  EXPECT_EQ(Query(path_, "PRAGMA integrity_check"), "ok\n");
  // A link to another file is followed: that file is replaced, the link stays.
  testing::WriteBytes(dir_.Path("old.db"), "old");
  ASSERT_EQ(::symlink(dir_.Path("old.db").c_str(), dir_.Path("latest.db").c_str()), 0);
  ASSERT_TRUE(store_->Backup(dir_.Path("latest.db")).ok());
  EXPECT_EQ(Query(dir_.Path("old.db"), "SELECT count(*) FROM answers"), "2\n");
  char target[256] = {};
  ASSERT_GT(::readlink(dir_.Path("latest.db").c_str(), target, sizeof target - 1), 0);
  EXPECT_EQ(std::string(target), dir_.Path("old.db"));
}

TEST_F(SqliteFileTest, ReadOnlyArchiveReadsButRefusesWritesClearly) {
  ASSERT_TRUE(Refresh(100, Snap({A(1, "one")})).ok());
  const std::string before = DumpArchive(path_);
  SqliteOptions options;
  options.read_only = true;
  auto ro = SqliteStore::Open(path_, options);
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  EXPECT_EQ((*ro)->Events({{"zhihu", kQ}, std::nullopt, std::nullopt})->size(), 2u);
  Result<bool> added = (*ro)->AddThread({"zhihu", 3}, Timestamp());
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.status().code(), Status::Code::kIoError);
  EXPECT_NE(added.status().message().find("read-only"), std::string::npos)
      << added.status().message();
  model::ChangeSet cs = diff::Classify(*(*ro)->LoadState({"zhihu", kQ}), Snap({A(2, "two")}), {});
  Status st = (*ro)->CommitRefresh(testing::Record(kQ, 200, cs));
  EXPECT_EQ(st.code(), Status::Code::kIoError) << st.ToString();
  EXPECT_EQ(DumpArchive(path_), before);
  EXPECT_EQ(SqliteStore::Open(dir_.Path("none.db"), options).status().code(),
            Status::Code::kNotFound);
}

TEST_F(SqliteFileTest, FullDiskFailsTheRefreshCleanly) {
  ASSERT_TRUE(Refresh(100, Snap({A(1, "one")})).ok());
  const std::string before = DumpArchive(path_);
  const int64_t pages = std::stoll(Query(path_, "PRAGMA page_count"));
  SqliteOptions options;
  options.max_pages = pages + 2;
  archive_.reset();
  store_ = nullptr;
  auto capped = SqliteStore::Open(path_, options);
  ASSERT_TRUE(capped.ok()) << capped.status().ToString();
  std::vector<model::Answer> big;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += std::to_string(i * 7919 % 10007) + " ";
  for (int i = 2; i < 40; ++i) big.push_back(A(i, text + std::to_string(i)));
  model::ChangeSet cs = diff::Classify(*(*capped)->LoadState({"zhihu", kQ}), Snap(big), {});
  for (auto& r : cs.revisions) r.markdown = r.html;
  Status st = (*capped)->CommitRefresh(testing::Record(kQ, 200, cs));
  EXPECT_EQ(st.code(), Status::Code::kIoError) << st.ToString();
  EXPECT_NE(st.message().find("disk is full"), std::string::npos) << st.message();
  capped->reset();
  EXPECT_EQ(DumpArchive(path_), before);
  EXPECT_EQ(Query(path_, "PRAGMA integrity_check"), "ok\n");
}

}  // namespace
}  // namespace archivist::store::testing
