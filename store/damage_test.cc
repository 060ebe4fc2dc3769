// A damaged archive is found and refused: pages in the middle of a real archive file are
// overwritten, then a checked open, a backup and the first failing read must each say so
// (kCorruption naming the file and what to do) and leave the file as it was.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace archivist::store {
namespace {

using testing::Exists;
using testing::ReadBytes;
using testing::TempDir;
using testing::WriteBytes;

constexpr model::QuestionId kQ = 7;

// An archive of one thread with `answers` answers of ~2 KB each (a few hundred pages).
void Fill(const std::string& path, int answers) {
  auto s = SqliteStore::Open(path);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_TRUE((*s)->AddThread({"zhihu", kQ}, Timestamp::FromSeconds(1)).ok());
  model::ChangeSet cs;
  cs.thread.first_archive = true;
  cs.thread.title = "title";
  std::mt19937 rng(1);
  for (int i = 1; i <= answers; ++i) {
    model::AnswerUpdate u;
    u.id = static_cast<model::AnswerId>(i);
    u.is_new = true;
    u.author_name = "author";
    u.seen = true;
    cs.answers.push_back(u);
    std::string text;
    for (int k = 0; k < 2000; ++k) text += static_cast<char>('a' + rng() % 26);
    cs.revisions.push_back(testing::Revision(u.id, 1, text));
    cs.revisions.back().markdown = text;
    cs.events.push_back({model::EventKind::kAnswerAdded, u.id, 1, ""});
  }
  ASSERT_TRUE((*s)->CommitRefresh(testing::Record(kQ, 100, std::move(cs))).ok());
  s->reset();  // the last connection checkpoints the WAL into the file
  ASSERT_FALSE(Exists(path + "-wal"));
}

// Overwrites pages [first, first + count) (4 KiB pages) with pseudo-random bytes.
void DamagePages(const std::string& path, int first, int count) {
  std::string bytes = ReadBytes(path);
  ASSERT_GT(bytes.size(), static_cast<size_t>(first + count) * 4096);
  std::mt19937 rng(2);
  for (size_t i = static_cast<size_t>(first) * 4096; i < static_cast<size_t>(first + count) * 4096;
       ++i) {
    bytes[i] = static_cast<char>(rng());
  }
  WriteBytes(path, bytes);
}

class DamageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.Path("archive.db");
    Fill(path_, 200);
    const size_t pages = ReadBytes(path_).size() / 4096;
    DamagePages(path_, static_cast<int>(pages / 2), 8);
    damaged_ = ReadBytes(path_);
  }

  void ExpectDamageReported(const Status& st) {
    EXPECT_EQ(st.code(), Status::Code::kCorruption) << st.ToString();
    EXPECT_NE(st.message().find("the archive " + path_ + " is damaged"), std::string::npos)
        << st.message();
    EXPECT_NE(st.message().find("restore the latest backup"), std::string::npos);
    EXPECT_NE(st.message().find("sqlite3 " + path_ + " .recover"), std::string::npos);
  }

  TempDir dir_;
  std::string path_, damaged_;
};

TEST_F(DamageTest, CheckedOpenRefusesAndWritesNothing) {
  SqliteOptions options;
  options.check_integrity = true;
  auto s = SqliteStore::Open(path_, options);
  ASSERT_FALSE(s.ok());
  ExpectDamageReported(s.status());
  EXPECT_NE(s.status().message().find("quick_check"), std::string::npos);
  EXPECT_EQ(ReadBytes(path_), damaged_);
}

TEST_F(DamageTest, BackupOfADamagedArchiveFailsAndWritesNothing) {
  SqliteOptions options;
  options.read_only = true;
  auto s = SqliteStore::Open(path_, options);  // unchecked: the damage is past the schema
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const std::string copy = dir_.Path("backup.db");
  const Status st = (*s)->Backup(copy);
  ExpectDamageReported(st);
  EXPECT_NE(st.message().find("nothing was written"), std::string::npos) << st.message();
  EXPECT_FALSE(Exists(copy));
  // An older backup at the destination is kept as it was.
  WriteBytes(copy, "older backup");
  EXPECT_FALSE((*s)->Backup(copy).ok());
  EXPECT_EQ(ReadBytes(copy), "older backup");
  s->reset();
  for (const auto& e : std::filesystem::directory_iterator(dir_.Path("."))) {
    EXPECT_EQ(e.path().string().find(".archivist-tmp"), std::string::npos) << e.path();
  }
  EXPECT_EQ(ReadBytes(path_), damaged_);
}

TEST_F(DamageTest, TheFirstFailingReadSaysWhatToDo) {
  auto s = SqliteStore::Open(path_);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Result<model::ThreadState> state = (*s)->LoadState({"zhihu", kQ});
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.status().code(), Status::Code::kCorruption) << state.status().ToString();
  EXPECT_NE(state.status().message().find("the archive is damaged"), std::string::npos)
      << state.status().message();
  EXPECT_NE(state.status().message().find(".recover"), std::string::npos);
}

TEST(DamageCheckTest, AHealthyArchivePassesTheCheck) {
  TempDir dir;
  const std::string path = dir.Path("archive.db");
  Fill(path, 50);
  SqliteOptions options;
  options.check_integrity = true;
  auto s = SqliteStore::Open(path, options);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE((*s)->Backup(dir.Path("copy.db")).ok());
}

}  // namespace
}  // namespace archivist::store
