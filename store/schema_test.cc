// The on-disk format: each schema version, the migration path to it, and the refusals that
// must leave a foreign or newer file byte for byte as it was (docs/store.md).
#include "store/schema.h"

#include <gtest/gtest.h>

#include "diff/classify.h"
#include "store/sqlite_store.h"
#include "store/store_test_util.h"

namespace archivist::store {
namespace {

using testing::Query;
using testing::ReadBytes;
using testing::TempDir;

const char* kTables =
    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";

// A new file gets every table of the current version, the application id, WAL mode.
TEST(SchemaTest, CurrentVersionFromScratch) {
  TempDir dir;
  const std::string path = dir.Path("a.db");
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
  }
  EXPECT_EQ(CurrentSchemaVersion(), 4);
  EXPECT_EQ(Query(path, "PRAGMA user_version"), "4\n");
  EXPECT_EQ(Query(path, "PRAGMA application_id"), std::to_string(kApplicationId) + "\n");
  EXPECT_EQ(Query(path, "PRAGMA journal_mode"), "wal\n");
  EXPECT_EQ(Query(path, kTables), "answers\nevents\nfetches\nmedia\nmedia_fetches\nmedia_refs\norders\nrevisions\n"
                                   "threads\n");
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
  EXPECT_EQ(Query(path, "PRAGMA user_version"), std::to_string(CurrentSchemaVersion()) + "\n");
}

// Version 2 (thread_returned, threads.first_not_found_at) on a version-1 file holding
// data: every row kept, the events table rebuilt with its indexes, a thread that is counting
// not_found outcomes gets the time of the first of them.
TEST(SchemaTest, Version2KeepsTheDataOfVersion1) {
  TempDir dir;
  const std::string path = dir.Path("v1.db");
  const std::vector<Migration> v1(Migrations().begin(), Migrations().begin() + 1);
  ASSERT_TRUE(SqliteStore::OpenWithMigrations(path, {}, v1).ok());
  Query(path, R"sql(
    INSERT INTO threads (id, source, source_id, title, added_at, first_archived_at,
                         not_found_count, gone_at, version)
      VALUES (1, 'zhihu', 42, 'Forty-two', 1, 100000000, 2, 300000000, 4),
             (2, 'zhihu', 43, 'Forty-three', 1, 100000000, 0, NULL, 1);
    INSERT INTO fetches (id, thread_id, started_at, outcome) VALUES
      (1, 1, 100000000, 'complete'), (2, 1, 150000000, 'not_found'),
      (3, 1, 160000000, 'complete'), (4, 1, 200000000, 'not_found'),
      (5, 1, 250000000, 'blocked'), (6, 1, 300000000, 'not_found'), (7, 2, 100000000, 'complete');
    INSERT INTO answers (id, thread_id, source_id, author_name, state, first_seen_at,
                         last_seen_at, position) VALUES (1, 1, 7, 'a', 'present', 100000000, 160000000, 0);
    INSERT INTO revisions (id, answer_id, number, fetch_id, observed_at, created_time,
                           updated_time, content_hash, author_name, html_size, html_zstd,
                           markdown, normalizer_version)
      VALUES (1, 1, 1, 1, 100000000, 5, 5, 'h', 'a', 0, X'00', 'md', 1);
    INSERT INTO events (id, thread_id, fetch_id, at, kind, answer_id, revision_id, details) VALUES
      (1, 1, 1, 100000000, 'thread_added', NULL, NULL, 'Forty-two'),
      (2, 1, 1, 100000000, 'answer_added', 1, 1, ''),
      (3, 1, 6, 300000000, 'thread_gone', NULL, NULL, '2 consecutive not_found outcomes'),
      (4, 2, 7, 100000000, 'thread_added', NULL, NULL, 'Forty-three');
  )sql");
  const std::string events = Query(path, "SELECT * FROM events ORDER BY id");
  const std::string others = Query(path, "SELECT * FROM fetches; SELECT * FROM answers; "
                                         "SELECT * FROM revisions; SELECT * FROM orders");
  const std::vector<Migration> v2(Migrations().begin(), Migrations().begin() + 2);
  auto store = SqliteStore::OpenWithMigrations(path, {}, v2);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(Query(path, "PRAGMA user_version"), "2\n");
  EXPECT_EQ(Query(path, "SELECT * FROM events ORDER BY id"), events);
  EXPECT_EQ(Query(path, "SELECT * FROM fetches; SELECT * FROM answers; "
                        "SELECT * FROM revisions; SELECT * FROM orders"), others);
  EXPECT_EQ(Query(path, "SELECT source_id, not_found_count, first_not_found_at, gone_at, "
                        "version FROM threads ORDER BY id"),
            "42|2|200000000|300000000|4\n43|0|∅|∅|1\n");
  EXPECT_EQ(Query(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND "
                        "tbl_name = 'events' ORDER BY name"),
            "events_answer\nevents_fetch\nevents_thread\n");
  EXPECT_EQ(Query(path, "PRAGMA integrity_check"), "ok\n");
  EXPECT_EQ(Query(path, "PRAGMA foreign_key_check"), "");
  // The loaded state carries the new column, and the new kind can be stored.
  Result<model::ThreadState> state = (*store)->LoadState({"zhihu", 42});
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_EQ(state->first_not_found_us, 200000000);
  EXPECT_EQ(state->gone_at_us, 300000000);
  model::Snapshot back;
  back.question.id = 42;
  back.question.title = "Forty-two";
  back.outcome = model::Outcome::kComplete;
  back.answers.push_back({});
  back.answers[0].id = 7;
  back.answers[0].content_html = "<p>seven</p>";
  model::ChangeSet cs = diff::Classify(*state, back, {}, {}, Timestamp::FromSeconds(400));
  for (auto& r : cs.revisions) r.markdown = "md", r.normalizer_version = 1;
  ASSERT_TRUE((*store)->CommitRefresh(testing::Record(42, 400, cs)).ok());
  EXPECT_EQ(Query(path, "SELECT kind, details FROM events WHERE at = 400000000 ORDER BY id"),
            "thread_returned|gone since 1970-01-01T00:05:00.000000+00:00\nanswer_edited|\n");
  EXPECT_EQ(Query(path, "SELECT not_found_count, first_not_found_at, gone_at FROM threads "
                        "WHERE source_id = 42"),
            "0|∅|∅\n");
}

// Version 3 (the events_at index) on a version-2 file holding data: every row kept, the
// index built over the existing events, and Changes answers from it.
TEST(SchemaTest, Version3IndexesTheEventsOfVersion2) {
  TempDir dir;
  const std::string path = dir.Path("v2.db");
  const std::vector<Migration> v2(Migrations().begin(), Migrations().begin() + 2);
  {
    auto store = SqliteStore::OpenWithMigrations(path, {}, v2);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->AddThread({"zhihu", 42}, Timestamp::FromSeconds(1)).ok());
    Result<model::ThreadState> state = (*store)->LoadState({"zhihu", 42});
    ASSERT_TRUE(state.ok());
    model::Snapshot snap;
    snap.question.id = 42;
    snap.question.title = "Forty-two";
    snap.outcome = model::Outcome::kComplete;
    snap.answers.push_back({});
    snap.answers[0].id = 7;
    snap.answers[0].author.name = "author7";
    snap.answers[0].content_html = "<p>seven</p>";
    model::ChangeSet cs = diff::Classify(*state, snap, {}, {}, Timestamp::FromSeconds(100));
    for (auto& r : cs.revisions) r.markdown = "seven", r.normalizer_version = 1;
    ASSERT_TRUE((*store)->CommitRefresh(testing::Record(42, 100, cs)).ok());
  }
  ASSERT_EQ(Query(path, "PRAGMA user_version"), "2\n");
  const std::string before = testing::DumpArchive(path);
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(Query(path, "PRAGMA user_version"), std::to_string(CurrentSchemaVersion()) + "\n");
  EXPECT_EQ(testing::DumpArchive(path), before);
  EXPECT_EQ(Query(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND "
                        "tbl_name = 'events' ORDER BY name"),
            "events_answer\nevents_at\nevents_fetch\nevents_thread\n");
  EXPECT_EQ(Query(path, "PRAGMA integrity_check"), "ok\n");
  auto changes = (*store)->Changes(Timestamp::FromSeconds(0));
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[1].event.kind, model::EventKind::kAnswerAdded);
  EXPECT_EQ((*changes)[1].title, "Forty-two");
  EXPECT_EQ((*changes)[1].author, "author7");
}

// Version 4 (the media tables) on a version-3 file holding data: every row kept, the media
// tables empty, and a refresh linking images to a new revision commits.
TEST(SchemaTest, Version4AddsMediaToAVersion3File) {
  TempDir dir;
  const std::string path = dir.Path("v3.db");
  const std::vector<Migration> v3(Migrations().begin(), Migrations().begin() + 3);
  const auto refresh = [](Store& store, int64_t at, const std::string& html,
                          std::vector<std::string> images) {
    Result<model::ThreadState> state = store.LoadState({"zhihu", 42});
    if (!state.ok()) return state.status();
    model::Snapshot snap;
    snap.question.id = 42;
    snap.question.title = "Forty-two";
    snap.outcome = model::Outcome::kComplete;
    snap.answers.push_back({});
    snap.answers[0].id = 7;
    snap.answers[0].author.name = "author7";
    snap.answers[0].content_html = html;
    snap.answers[0].updated_time = at;
    model::ChangeSet cs = diff::Classify(*state, snap, {}, {}, Timestamp::FromSeconds(at));
    for (auto& r : cs.revisions) r.markdown = "md", r.normalizer_version = 1, r.image_urls = images;
    return store.CommitRefresh(testing::Record(42, at, cs));
  };
  {
    auto store = SqliteStore::OpenWithMigrations(path, {}, v3);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->AddThread({"zhihu", 42}, Timestamp::FromSeconds(1)).ok());
    ASSERT_TRUE(refresh(**store, 100, "<p>seven</p>", {}).ok());
  }
  ASSERT_EQ(Query(path, "PRAGMA user_version"), "3\n");
  const std::string before = testing::DumpArchive(path);
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(Query(path, "PRAGMA user_version"), "4\n");
  EXPECT_EQ(testing::DumpArchive(path), before);
  EXPECT_EQ(Query(path, "SELECT count(*) FROM media_refs"), "0\n");
  ASSERT_TRUE(refresh(**store, 200, "<p>seven v2</p>", {"https://pic1.zhimg.com/a.jpg"}).ok());
  EXPECT_EQ(Query(path, "SELECT position, url, status FROM media_refs"),
            "0|https://pic1.zhimg.com/a.jpg|pending\n");
  EXPECT_EQ(Query(path, "PRAGMA integrity_check"), "ok\n");
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
  const int next = CurrentSchemaVersion() + 1;
  const Migration v_next = {next, "ALTER TABLE threads ADD COLUMN note TEXT NOT NULL DEFAULT 'n';"
                                  "CREATE TABLE extra (id INTEGER PRIMARY KEY);"};
  std::vector<Migration> with_next(Migrations().begin(), Migrations().end());
  with_next.push_back(v_next);
  {
    auto store = SqliteStore::OpenWithMigrations(path, {}, with_next);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto threads = (*store)->ListThreads();
    ASSERT_TRUE(threads.ok());
    ASSERT_EQ(threads->size(), 1u);
    EXPECT_EQ((*threads)[0].key.id, 42u);
  }
  EXPECT_EQ(Query(path, "PRAGMA user_version"), std::to_string(next) + "\n");
  EXPECT_EQ(Query(path, "SELECT source_id, note FROM threads"), "42|n\n");
  // This build must now refuse the file and leave it alone.
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
  const int next = CurrentSchemaVersion() + 1;
  broken.push_back({next, "CREATE TABLE extra (id INTEGER PRIMARY KEY); THIS IS NOT SQL;"});
  auto store = SqliteStore::OpenWithMigrations(path, {}, broken);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("schema version " + std::to_string(next)),
            std::string::npos)
      << store.status().message();
  EXPECT_EQ(Query(path, "PRAGMA user_version"), std::to_string(next - 1) + "\n");
  EXPECT_EQ(Query(path, kTables), "answers\nevents\nfetches\nmedia\nmedia_fetches\nmedia_refs\norders\nrevisions\n"
                                   "threads\n");
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
