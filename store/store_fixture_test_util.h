// The fixtures of the store tests: StoreFixture, an archive with one thread, refreshed as the
// pipeline does it, and the answer and snapshot builders; StoreTest, the same over every
// backend (value-parameterized, store_contract_test.cc); SqliteFileTest, an SQLite archive
// at a known path (sqlite_store_file_test.cc). Tests only.
#ifndef ARCHIVIST_STORE_STORE_FIXTURE_TEST_UTIL_H_
#define ARCHIVIST_STORE_STORE_FIXTURE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "diff/classify.h"
#include "store/sqlite_store.h"
#include "store/store_test_util.h"
#include "store/test_archive.h"

namespace archivist::store::testing {

inline constexpr model::QuestionId kQ = 1968000000000000001ULL;

inline model::Answer A(model::AnswerId id, const std::string& text, int64_t updated = 100) {
  model::Answer a;
  a.id = id;
  a.author.name = "author" + std::to_string(id);
  a.created_time = 50;
  a.updated_time = updated;
  a.content_html = "<p>" + text + "</p>";
  return a;
}

inline model::Snapshot Snap(std::vector<model::Answer> answers,
                            model::Outcome outcome = model::Outcome::kComplete,
                            const std::string& title = "Title one") {
  model::Snapshot s;
  s.question.id = kQ;
  s.question.title = title;
  s.answers = std::move(answers);
  s.outcome = outcome;
  s.pages = 1;
  return s;
}

class StoreFixture : public ::testing::Test {
 protected:
  virtual Result<std::unique_ptr<TestArchive>> OpenArchive() = 0;

  void SetUp() override {
    auto a = OpenArchive();
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    archive_ = std::move(*a);
    store_ = &archive_->store();
    ASSERT_TRUE(store_->AddThread({"zhihu", kQ}, Timestamp::FromSeconds(1)).ok());
  }

  // Raw SQL on the archive and its whole contents (test_archive.h).
  std::string Query(const std::string& sql) { return archive_->Query(sql); }
  // SQL on an SQLite file (store_test_util.h), which the member above would hide.
  static std::string Query(const std::string& db_path, const std::string& sql) {
    return testing::Query(db_path, sql);
  }
  std::string Dump() { return archive_->Dump(); }

  // One refresh as the pipeline does it (pipeline/pipeline.cc): load, probe list, classify,
  // derive Markdown, commit.
  Status Refresh(int64_t seconds, const model::Snapshot& snap, diff::ProbeResults probes = {}) {
    Result<model::ThreadState> state = store_->LoadState({"zhihu", kQ});
    if (!state.ok()) return state.status();
    model::ChangeSet cs =
        diff::Classify(*state, snap, probes, classify_, Timestamp::FromSeconds(seconds));
    for (auto& r : cs.revisions) {
      r.markdown = "md " + r.html;
      r.normalizer_version = 1;
    }
    RefreshRecord rec = testing::Record(kQ, seconds, std::move(cs), snap.outcome);
    rec.fetch.answer_count = static_cast<int>(snap.answers.size());
    return store_->CommitRefresh(rec);
  }

  std::vector<std::string> Kinds(const EventQuery& q) {
    std::vector<std::string> out;
    auto events = store_->Events(q);
    EXPECT_TRUE(events.ok()) << events.status().ToString();
    if (!events.ok()) return out;
    for (const auto& e : *events) {
      out.push_back(std::string(model::EventKindName(e.kind)) +
                    (e.answer ? " " + std::to_string(*e.answer) : "") +
                    (e.revision ? " r" + std::to_string(e.revision) : ""));
    }
    return out;
  }

  // "id:revision" of each answer present at `seconds`, in order.
  std::string At(int64_t seconds) {
    auto at = store_->ThreadAtTime({"zhihu", kQ}, Timestamp::FromSeconds(seconds));
    if (!at.ok()) return at.status().ToString();
    std::string s = at->title + " @" + std::to_string(at->last_event.seconds()) + ":";
    for (const auto& a : at->answers) s += " " + std::to_string(a.id) + "r" + std::to_string(a.revision);
    return s;
  }

  std::unique_ptr<TestArchive> archive_;
  Store* store_ = nullptr;  // archive_'s
  diff::ClassifyOptions classify_{2, 2, 0};  // thread_gone on the count alone unless a test says
};

// The contract of every Store, run once per backend (test_archive.h).
class StoreTest : public StoreFixture, public ::testing::WithParamInterface<Backend> {
 protected:
  Result<std::unique_ptr<TestArchive>> OpenArchive() override { return GetParam().open(); }
};

// An SQLite archive at path_ in dir_, for what only a file has (backup, read-only, size cap).
class SqliteFileTest : public StoreFixture {
 protected:
  Result<std::unique_ptr<TestArchive>> OpenArchive() override {
    path_ = dir_.Path("archive.db");
    return OpenSqliteArchive(path_);
  }

  TempDir dir_;
  std::string path_;
};

}  // namespace archivist::store::testing

#endif  // ARCHIVIST_STORE_STORE_FIXTURE_TEST_UTIL_H_
