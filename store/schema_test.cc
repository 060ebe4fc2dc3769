// The on-disk format: each schema version, the migration path to it, and the refusals that
// must leave a foreign or newer file byte for byte as it was (docs/store.md).
#include "store/schema.h"

#include <gtest/gtest.h>

#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace archivist::store {
namespace {

using testing::Query;
using testing::ReadBytes;
using testing::TempDir;

const char* kTables =
    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";

// Version 1: a new file gets every table, the application id, WAL mode.
TEST(SchemaTest, Version1FromScratch) {
  TempDir dir;
  const std::string path = dir.Path("a.db");
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
  }
  EXPECT_EQ(CurrentSchemaVersion(), 1);
  EXPECT_EQ(Query(path, "PRAGMA user_version"), "1\n");
  EXPECT_EQ(Query(path, "PRAGMA application_id"), std::to_string(kApplicationId) + "\n");
  EXPECT_EQ(Query(path, "PRAGMA journal_mode"), "wal\n");
  EXPECT_EQ(Query(path, kTables), "answers\nevents\nfetches\norders\nrevisions\nthreads\n");
  // Reopening an up-to-date file changes nothing.
  const std::string schema = Query(path, "SELECT sql FROM sqlite_master ORDER BY name");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  EXPECT_EQ(Query(path, "SELECT sql FROM sqlite_master ORDER BY name"), schema);
}

TEST(SchemaTest, EmptyExistingFileIsInitialized) {
  TempDir dir;
  const std::string path = dir.Path("empty.db");
  testing::WriteBytes(path, "");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  EXPECT_EQ(Query(path, "PRAGMA user_version"), "1\n");
}

// The pattern for every future version: a file of the previous version holding data is
// migrated, keeps its data, and gains the new schema.
TEST(SchemaTest, MigrationToANextVersionKeepsData) {
  TempDir dir;
  const std::string path = dir.Path("a.db");
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->AddThread({"zhihu", 42}, Timestamp::FromSeconds(1)).ok());
  }
  const Migration v2 = {2, "ALTER TABLE threads ADD COLUMN note TEXT NOT NULL DEFAULT 'n';"
                           "CREATE TABLE extra (id INTEGER PRIMARY KEY);"};
  std::vector<Migration> with_v2(Migrations().begin(), Migrations().end());
  with_v2.push_back(v2);
  {
    auto store = SqliteStore::OpenWithMigrations(path, {}, with_v2);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto threads = (*store)->ListThreads();
    ASSERT_TRUE(threads.ok());
    ASSERT_EQ(threads->size(), 1u);
    EXPECT_EQ((*threads)[0].key.id, 42u);
  }
  EXPECT_EQ(Query(path, "PRAGMA user_version"), "2\n");
  EXPECT_EQ(Query(path, "SELECT source_id, note FROM threads"), "42|n\n");
  // This build (version 1) must now refuse the file and leave it alone.
  const std::string before = ReadBytes(path);
  auto old = SqliteStore::Open(path);
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(old.status().message().find("newer"), std::string::npos) << old.status().message();
  EXPECT_EQ(ReadBytes(path), before);
}

// A migration that fails halfway leaves the previous version whole.
TEST(SchemaTest, FailedMigrationLeavesThePreviousVersion) {
  TempDir dir;
  const std::string path = dir.Path("a.db");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  ASSERT_TRUE((*SqliteStore::Open(path))->AddThread({"zhihu", 7}, Timestamp()).ok());
  std::vector<Migration> broken(Migrations().begin(), Migrations().end());
  broken.push_back({2, "CREATE TABLE extra (id INTEGER PRIMARY KEY); THIS IS NOT SQL;"});
  auto store = SqliteStore::OpenWithMigrations(path, {}, broken);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("schema version 2"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(Query(path, "PRAGMA user_version"), "1\n");
  EXPECT_EQ(Query(path, kTables), "answers\nevents\nfetches\norders\nrevisions\nthreads\n");
  EXPECT_EQ(Query(path, "SELECT source_id FROM threads"), "7\n");
}

TEST(SchemaTest, NotAnSqliteFileIsRefusedAndUntouched) {
  TempDir dir;
  const std::string path = dir.Path("notes.txt");
  const std::string bytes = std::string("These are my notes, not a database.\n") +
                            std::string(5000, 'x');
  testing::WriteBytes(path, bytes);
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kCorruption);
  EXPECT_NE(store.status().message().find("not an archivist database"), std::string::npos);
  EXPECT_NE(store.status().message().find(path), std::string::npos);
  EXPECT_EQ(ReadBytes(path), bytes);
  EXPECT_FALSE(testing::Exists(path + "-wal"));
}

TEST(SchemaTest, ForeignSqliteDatabaseIsRefusedAndUntouched) {
  TempDir dir;
  const std::string path = dir.Path("other.db");
  testing::WriteBytes(path, "");  // then made a database by the raw connection
  Query(path, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);"
              "INSERT INTO customers (name) VALUES ('ada');");
  const std::string before = ReadBytes(path);
  ASSERT_FALSE(before.empty());
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kCorruption);
  EXPECT_NE(store.status().message().find("another application"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(ReadBytes(path), before);
  EXPECT_EQ(Query(path, "PRAGMA journal_mode"), "delete\n");
}

TEST(SchemaTest, NewerSchemaIsRefusedAndUntouched) {
  TempDir dir;
  const std::string path = dir.Path("a.db");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  Query(path, "PRAGMA user_version = 9");
  const std::string before = ReadBytes(path);
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(store.status().message().find("schema version 9"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(ReadBytes(path), before);
  EXPECT_EQ(Query(path, "PRAGMA user_version"), "9\n");
}

TEST(SchemaTest, MissingFileWithoutCreateIsNotFound) {
  TempDir dir;
  SqliteOptions options;
  options.create = false;
  auto store = SqliteStore::Open(dir.Path("absent.db"), options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(testing::Exists(dir.Path("absent.db")));
}

}  // namespace
}  // namespace archivist::store
