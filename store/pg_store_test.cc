// PgStore beyond the shared contract (store_contract_test.cc): what the database is and which
// version it has, refusals that leave a database untouched, a read-only session, two writers
// of one thread, and text PostgreSQL cannot hold.
#include "store/pg_store.h"

#include <gtest/gtest.h>

#include <vector>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "diff/classify.h"
#include "store/pg_conn.h"
#include "store/pg_schema.h"
#include "store/store_fixture_test_util.h"

namespace archivist::store::testing {
namespace {

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::string> uri = FreshPgDatabase();
    ASSERT_TRUE(uri.ok()) << uri.status().ToString();
    uri_ = *uri;
    auto raw = PgConn::Connect(uri_);
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    raw_ = std::move(*raw);
  }

  // Rows of one statement as "col|col" lines.
  std::string Sql(const std::string& sql) {
    Result<PgRows> rows = raw_->Query(sql);
    EXPECT_TRUE(rows.ok()) << sql << ": " << rows.status().ToString();
    if (!rows.ok()) return "";
    std::string out;
    for (int r = 0; r < rows->size(); ++r) {
      for (int c = 0; c < rows->columns(); ++c) out += (c ? "|" : "") + rows->Text(r, c);
      out += "\n";
    }
    return out;
  }

  std::string uri_;
  std::unique_ptr<PgConn> raw_;
};

TEST_F(PgStoreTest, ANewArchiveRecordsItsSchemaVersionAndReopensWithoutMigrating) {
  ASSERT_TRUE(PgStore::Open(uri_).ok());
  EXPECT_EQ(Sql("SELECT application, version FROM archivist_schema"),
            "archivist|" + std::to_string(PgCurrentSchemaVersion()) + "\n");
  auto again = PgStore::Open(uri_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(Sql("SELECT count(*) FROM archivist_schema"), "1\n");
}

TEST_F(PgStoreTest, AnotherApplicationsDatabaseIsRefusedUntouched) {
  ASSERT_TRUE(raw_->Exec("CREATE TABLE invoices (id int); INSERT INTO invoices VALUES (7)",
                         "setting up").ok());
  auto s = PgStore::Open(uri_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kCorruption) << s.status().ToString();
  EXPECT_NE(s.status().message().find("not an archivist database"), std::string::npos);
  EXPECT_EQ(Sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "1\n");
  EXPECT_EQ(Sql("SELECT id FROM invoices"), "7\n");
}

TEST_F(PgStoreTest, MigratesInOrderAndRefusesANewerDatabaseUntouched) {
  // This build's migrations and one more.
  std::vector<Migration> future(PgMigrations().begin(), PgMigrations().end());
  const int next = PgCurrentSchemaVersion() + 1;
  future.push_back({next, "ALTER TABLE threads ADD COLUMN extra bigint"});
  const std::string next_version = std::to_string(next) + "\n";
  ASSERT_TRUE(PgStore::Open(uri_).ok());
  auto newer = PgStore::OpenWithMigrations(uri_, {}, future);
  ASSERT_TRUE(newer.ok()) << newer.status().ToString();
  EXPECT_EQ(Sql("SELECT version FROM archivist_schema"), next_version);
  ASSERT_TRUE((*newer)->AddThread({"zhihu", 5}, Timestamp::FromSeconds(1)).ok());
  newer->reset();
  auto old = PgStore::Open(uri_);
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.status().code(), Status::Code::kInvalidArgument) << old.status().ToString();
  EXPECT_NE(old.status().message().find("newer than this archivist"), std::string::npos);
  EXPECT_EQ(Sql("SELECT version FROM archivist_schema"), next_version);
  EXPECT_EQ(Sql("SELECT source_id FROM threads"), "5\n");
}

// Version 2 (leases, daemons, marks) and later over a version 1 archive holding a thread.
TEST_F(PgStoreTest, Version2KeepsTheThreadsOfVersion1) {
  {
    auto v1 = PgStore::OpenWithMigrations(uri_, {}, PgMigrations().first(1));
    ASSERT_TRUE(v1.ok()) << v1.status().ToString();
    ASSERT_TRUE((*v1)->AddThread({"zhihu", 5}, Timestamp::FromSeconds(1)).ok());
    ASSERT_TRUE((*v1)->SetSchedule({"zhihu", 5}, {Timestamp::FromSeconds(9), 60}).ok());
  }
  auto now = PgStore::Open(uri_);
  ASSERT_TRUE(now.ok()) << now.status().ToString();
  EXPECT_EQ(Sql("SELECT version FROM archivist_schema"),
            std::to_string(PgCurrentSchemaVersion()) + "\n");
  EXPECT_EQ(Sql("SELECT source_id, next_due_at, lease_owner FROM threads"), "5|9000000|\n");
  auto claims = (*now)->ClaimThreads({{"zhihu", 5}}, "a", Timestamp::FromSeconds(10),
                                     Timestamp::FromSeconds(20));
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->claimed.size(), 1u);
}

TEST_F(PgStoreTest, ReadOnlyReadsButRefusesWrites) {
  {
    auto rw = PgStore::Open(uri_);
    ASSERT_TRUE(rw.ok());
    ASSERT_TRUE((*rw)->AddThread({"zhihu", kQ}, Timestamp::FromSeconds(1)).ok());
  }
  PgOptions options;
  options.read_only = true;
  auto ro = PgStore::Open(uri_, options);
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  EXPECT_EQ((*ro)->ListThreads()->size(), 1u);
  Result<bool> added = (*ro)->AddThread({"zhihu", 3}, Timestamp());
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.status().code(), Status::Code::kIoError);
  EXPECT_NE(added.status().message().find("read-only"), std::string::npos)
      << added.status().message();
  EXPECT_EQ(Sql("SELECT count(*) FROM threads"), "1\n");
  // An empty database is not migrated by a read-only open.
  Result<std::string> empty = FreshPgDatabase();
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(PgStore::Open(*empty, options).status().code(), Status::Code::kInvalidArgument);
}

// Two daemons refresh the same thread from the same state: the second commit is refused and
// leaves nothing of itself.
TEST_F(PgStoreTest, TheSecondOfTwoWritersOfOneThreadIsRefused) {
  auto a = PgStore::Open(uri_);
  auto b = PgStore::Open(uri_);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->AddThread({"zhihu", kQ}, Timestamp::FromSeconds(1)).ok());
  const model::ThreadState state_a = *(*a)->LoadState({"zhihu", kQ});
  const model::ThreadState state_b = *(*b)->LoadState({"zhihu", kQ});
  ASSERT_TRUE((*a)->CommitRefresh(Record(kQ, 100, diff::Classify(state_a, Snap({A(1, "one")}), {})))
                  .ok());
  const std::string fetches = Sql("SELECT count(*) FROM fetches");
  Status st = (*b)->CommitRefresh(Record(kQ, 101, diff::Classify(state_b, Snap({A(2, "two")}), {})));
  EXPECT_EQ(st.code(), Status::Code::kUnavailable) << st.ToString();
  EXPECT_EQ(Sql("SELECT count(*) FROM fetches"), fetches);
  EXPECT_EQ(Sql("SELECT source_id FROM answers"), "1\n");
}

// A commit that meets the thread row locked by another transaction waits for it, then sees
// the version that transaction committed and is refused: the check is not a stale read.
TEST_F(PgStoreTest, ACommitWaitsForTheRowLockThenSeesTheNewVersion) {
  auto b = PgStore::Open(uri_);
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE((*b)->AddThread({"zhihu", kQ}, Timestamp::FromSeconds(1)).ok());
  const model::ThreadState state = *(*b)->LoadState({"zhihu", kQ});
  ASSERT_TRUE(raw_->Exec("BEGIN; SELECT 1 FROM threads FOR UPDATE; "
                         "UPDATE threads SET version = version + 1", "locking the thread").ok());
  std::atomic<bool> done{false};
  Status st;
  std::thread writer([&] {
    st = (*b)->CommitRefresh(Record(kQ, 100, diff::Classify(state, Snap({A(1, "one")}), {})));
    done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(done) << "the commit did not wait for the row lock";
  ASSERT_TRUE(raw_->Exec("COMMIT", "unlocking").ok());
  writer.join();
  EXPECT_EQ(st.code(), Status::Code::kUnavailable) << st.ToString();
  EXPECT_EQ(Sql("SELECT count(*) FROM fetches"), "0\n");
}

// The server ends every other session of the database (as a restart or failover would).
void TerminateOtherSessions(PgConn& raw) {
  Result<PgRows> ended = raw.Query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  ASSERT_GE(ended->size(), 1);
}

// A daemon outlives its connection: after the server ends the session, the call that meets
// the loss fails, the next one works on a new connection with the same session settings
// (a read-only archive stays read-only).
TEST_F(PgStoreTest, ALostConnectionIsTakenUpAgainWithItsSessionSettings) {
  auto w = PgStore::Open(uri_);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE((*w)->AddThread({"zhihu", kQ}, Timestamp::FromSeconds(1)).ok());
  PgOptions read_only;
  read_only.read_only = true;
  auto r = PgStore::Open(uri_, read_only);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  TerminateOtherSessions(*raw_);

  for (Store* s : {static_cast<Store*>(w->get()), static_cast<Store*>(r->get())}) {
    Result<std::vector<ThreadSummary>> first = s->ListThreads();
    if (!first.ok()) {
      EXPECT_EQ(first.status().code(), Status::Code::kIoError) << first.status().ToString();
    }
    Result<std::vector<ThreadSummary>> again = s->ListThreads();
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(again->size(), 1u);
  }
  EXPECT_FALSE((*r)->AddThread({"zhihu", kQ + 1}, Timestamp::FromSeconds(2)).ok());
  const model::ThreadState state = *(*w)->LoadState({"zhihu", kQ});
  EXPECT_TRUE((*w)->CommitRefresh(Record(kQ, 100, diff::Classify(state, Snap({A(1, "one")}), {})))
                  .ok());
  EXPECT_EQ(Sql("SELECT count(*) FROM threads"), "1\n");
  EXPECT_EQ(Sql("SELECT count(*) FROM fetches"), "1\n");
}

// The discovery lock lives and dies with the session: a daemon whose connection was lost (and
// taken up again) no longer holds it, and another daemon may take it meanwhile.
TEST_F(PgStoreTest, TheDiscoveryLockIsLostWithTheConnection) {
  auto a = PgStore::Open(uri_);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(*(*a)->TryDiscoveryLock());
  TerminateOtherSessions(*raw_);
  auto b = PgStore::Open(uri_);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_TRUE(*(*b)->TryDiscoveryLock());
  Result<bool> again = (*a)->TryDiscoveryLock();
  if (!again.ok()) again = (*a)->TryDiscoveryLock();  // the call that met the loss failed
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(*again);
}

// A refresh whose connection is lost midway leaves nothing (the server rolls it back; no
// later statement of it runs on a new connection), and the next refresh commits whole.
TEST_F(PgStoreTest, ARefreshThatLosesItsConnectionLeavesNothing) {
  auto w = PgStore::Open(uri_);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE((*w)->AddThread({"zhihu", kQ}, Timestamp::FromSeconds(1)).ok());
  bool terminated = false;
  (*w)->SetFaultHook([&](std::string_view operation) {
    if (operation == "insert event" && !terminated) {
      terminated = true;
      TerminateOtherSessions(*raw_);
    }
    return Status::Ok();
  });
  const model::ThreadState state = *(*w)->LoadState({"zhihu", kQ});
  const model::ChangeSet changes = diff::Classify(state, Snap({A(1, "one"), A(2, "two")}), {});
  Status lost = (*w)->CommitRefresh(Record(kQ, 100, changes));
  ASSERT_TRUE(terminated);
  EXPECT_FALSE(lost.ok());
  EXPECT_EQ(Sql("SELECT count(*) FROM fetches"), "0\n");
  EXPECT_EQ(Sql("SELECT count(*) FROM revisions"), "0\n");
  EXPECT_EQ(Sql("SELECT count(*) FROM answers"), "0\n");
  EXPECT_EQ(Sql("SELECT version FROM threads"), "0\n");

  Status again = (*w)->CommitRefresh(Record(kQ, 101, changes));
  EXPECT_TRUE(again.ok()) << again.ToString();
  EXPECT_EQ(Sql("SELECT count(*) FROM revisions"), "2\n");
  EXPECT_EQ(Sql("SELECT count(*) FROM events WHERE kind = 'answer_added'"), "2\n");
}

// PostgreSQL text cannot hold a NUL byte: such a refresh is refused whole, naming the cause.
TEST_F(PgStoreTest, TextWithANulByteIsRefusedWhole) {
  auto s = PgStore::Open(uri_);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->AddThread({"zhihu", kQ}, Timestamp::FromSeconds(1)).ok());
  model::ChangeSet cs = diff::Classify(*(*s)->LoadState({"zhihu", kQ}),
                                       Snap({A(1, "one")}, model::Outcome::kComplete,
                                            std::string("Ti\0tle", 6)),
                                       {});
  Status st = (*s)->CommitRefresh(Record(kQ, 100, cs));
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << st.ToString();
  EXPECT_NE(st.message().find("NUL"), std::string::npos) << st.message();
  EXPECT_EQ(Sql("SELECT count(*) FROM fetches"), "0\n");
  EXPECT_EQ(Sql("SELECT version FROM threads"), "0\n");
}

// E1 holds in the database itself, not only in the commit code: the CHECKs are SQLite's.
TEST_F(PgStoreTest, TheDatabaseRefusesAnEventThatBreaksE1) {
  auto s = PgStore::Open(uri_);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->AddThread({"zhihu", kQ}, Timestamp::FromSeconds(1)).ok());
  ASSERT_TRUE(raw_->Exec("INSERT INTO fetches (thread_id, started_at, outcome) "
                         "SELECT id, 1, 'complete' FROM threads", "setting up").ok());
  auto insert = [&](const std::string& kind) {
    return raw_->Exec("INSERT INTO events (thread_id, fetch_id, at, kind, answer_id, "
                      "revision_id) SELECT t.id, f.id, 1, '" + kind +
                          "', NULL, NULL FROM threads t, fetches f",
                      "inserting an event");
  };
  EXPECT_FALSE(insert("answer_added").ok());    // names no answer and no revision
  EXPECT_FALSE(insert("answer_deleted").ok());  // names no answer
  EXPECT_TRUE(insert("thread_gone").ok());      // a thread event names neither
  EXPECT_EQ(Sql("SELECT kind FROM events"), "thread_gone\n");
}

// Changes reads a range of events_at, as SQLite's does (the plan, with sequential scans
// priced out: the test tables are tiny).
TEST_F(PgStoreTest, ChangesCanUseTheTimeIndex) {
  ASSERT_TRUE(PgStore::Open(uri_).ok());
  ASSERT_TRUE(raw_->Exec("SET enable_seqscan = off; SET enable_bitmapscan = off",
                         "setting up").ok());
  const std::string plan = Sql(
      "EXPLAIN SELECT e.at, e.kind FROM events e WHERE e.at >= 5 ORDER BY e.at, e.id");
  EXPECT_NE(plan.find("events_at"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Sort"), std::string::npos) << plan;
}

TEST_F(PgStoreTest, AnUnreachableServerIsAClearIoError) {
  auto s = PgStore::Open("postgresql://archivist@/none?host=/nonexistent/socket/dir");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kIoError);
  EXPECT_NE(s.status().message().find("cannot connect"), std::string::npos)
      << s.status().message();
}

}  // namespace
}  // namespace archivist::store::testing
