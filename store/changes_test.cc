// Store::Changes: the whole archive's events since a time, with titles and authors, equal to
// the union of every thread's Events, on every backend; and SQLite's query plan uses the
// events' time index.
#include <gtest/gtest.h>

#include <algorithm>

#include "diff/classify.h"
#include "store/sqlite_store.h"
#include "store/store_test_util.h"
#include "store/test_archive.h"

namespace archivist::store {
namespace {

using model::Outcome;
using testing::Query;
using testing::TempDir;

model::Snapshot Snap(model::QuestionId q, const std::string& title,
                     std::vector<std::pair<model::AnswerId, std::string>> answers) {
  model::Snapshot s;
  s.question.id = q;
  s.question.title = title;
  s.outcome = Outcome::kComplete;
  s.pages = 1;
  for (const auto& [id, text] : answers) {
    model::Answer a;
    a.id = id;
    a.author.name = "author" + std::to_string(id);
    a.created_time = 50;
    a.updated_time = 100;
    a.content_html = "<p>" + text + "</p>";
    s.answers.push_back(a);
  }
  return s;
}

class ChangesTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    auto a = GetParam().open();
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    archive_ = std::move(*a);
    store_ = &archive_->store();
  }

  void Refresh(int64_t seconds, const model::Snapshot& snap) {
    const ThreadKey key{"zhihu", snap.question.id};
    ASSERT_TRUE(store_->AddThread(key, Timestamp::FromSeconds(1)).ok());
    Result<model::ThreadState> state = store_->LoadState(key);
    ASSERT_TRUE(state.ok()) << state.status().ToString();
    model::ChangeSet cs = diff::Classify(*state, snap, {}, {1, 1, 0}, Timestamp::FromSeconds(seconds));
    for (auto& r : cs.revisions) r.markdown = r.html, r.normalizer_version = 1;
    ASSERT_TRUE(store_->CommitRefresh(testing::Record(snap.question.id, seconds, cs)).ok());
  }

  // "time kind question answer rN details" of each event.
  static std::string Line(const EventRecord& e) {
    return std::to_string(e.at.seconds()) + " " + std::string(model::EventKindName(e.kind)) +
           " " + std::to_string(e.thread.id) + " " +
           (e.answer ? std::to_string(*e.answer) : "-") + " r" + std::to_string(e.revision) +
           " " + e.details;
  }

  std::unique_ptr<testing::TestArchive> archive_;
  Store* store_ = nullptr;  // archive_'s
};

TEST_P(ChangesTest, EqualsTheUnionOfEveryThreadsEventsInTimeOrder) {
  Refresh(100, Snap(11, "Eleven", {{1, "one"}, {2, "two"}}));
  Refresh(150, Snap(22, "Twenty-two", {{5, "five"}}));
  Refresh(200, Snap(11, "Eleven", {{1, "one, edited"}, {2, "two"}}));
  Refresh(200, Snap(22, "Twenty-two renamed", {{5, "five"}, {6, "six"}}));
  Refresh(300, Snap(11, "Eleven", {{1, "one, edited"}}));  // 2 deleted (1 confirmation)
  Refresh(400, Snap(33, "Thirty-three", {}));

  auto all = store_->Changes(Timestamp::FromSeconds(0));
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  std::vector<std::string> got;
  for (const ChangeRecord& c : *all) got.push_back(Line(c.event));

  std::vector<std::pair<int64_t, std::string>> expected;  // (time, line), per thread in order
  for (model::QuestionId q : {11, 22, 33}) {
    auto events = store_->Events({{"zhihu", q}, std::nullopt, std::nullopt});
    ASSERT_TRUE(events.ok());
    for (const EventRecord& e : *events) expected.emplace_back(e.at.micros(), Line(e));
  }
  // Ties at 200 s: thread 11's refresh was committed before thread 22's.
  std::stable_sort(expected.begin(), expected.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> want;
  for (const auto& [t, line] : expected) want.push_back(line);
  EXPECT_EQ(got, want);
  ASSERT_EQ(got.size(), 10u);
  EXPECT_EQ(got.front(), "100 thread_added 11 - r0 Eleven");
  EXPECT_EQ(got[5], "200 answer_edited 11 1 r2 ");
  EXPECT_EQ(got[6], "200 title_changed 22 - r0 Twenty-two renamed");
  EXPECT_EQ(got.back(), "400 thread_added 33 - r0 Thirty-three");

  // Titles are the thread's latest; authors come with answer events only.
  for (const ChangeRecord& c : *all) {
    const std::string title = c.event.thread.id == 11   ? "Eleven"
                              : c.event.thread.id == 22 ? "Twenty-two renamed"
                                                        : "Thirty-three";
    EXPECT_EQ(c.title, title) << Line(c.event);
    EXPECT_EQ(c.author, c.event.answer ? "author" + std::to_string(*c.event.answer) : "")
        << Line(c.event);
  }
}

// The newest N, oldest first: the tail of every change, ties at 200 s in commit order too.
TEST_P(ChangesTest, LatestChangesAreTheTailOfEveryChange) {
  Refresh(100, Snap(11, "Eleven", {{1, "one"}, {2, "two"}}));
  Refresh(200, Snap(11, "Eleven", {{1, "one, edited"}, {2, "two"}}));
  Refresh(200, Snap(22, "Twenty-two", {{5, "five"}}));
  Refresh(300, Snap(11, "Eleven", {{1, "one, edited"}}));
  auto all = store_->Changes(Timestamp::FromSeconds(0));
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 7u);
  for (size_t n : {size_t{0}, size_t{1}, size_t{3}, size_t{7}, size_t{50}}) {
    auto latest = store_->LatestChanges(n);
    ASSERT_TRUE(latest.ok()) << latest.status().ToString();
    std::vector<std::string> got, want;
    for (const ChangeRecord& c : *latest) got.push_back(Line(c.event) + " " + c.author);
    for (size_t i = all->size() - std::min(n, all->size()); i < all->size(); ++i) {
      want.push_back(Line((*all)[i].event) + " " + (*all)[i].author);
    }
    EXPECT_EQ(got, want) << n;
  }
}

TEST_P(ChangesTest, SinceIsInclusiveAndFilters) {
  Refresh(100, Snap(11, "Eleven", {{1, "one"}}));
  Refresh(200, Snap(11, "Eleven", {{1, "one, edited"}}));
  Refresh(300, Snap(22, "Twenty-two", {{5, "five"}}));
  auto since = store_->Changes(Timestamp::FromSeconds(200));
  ASSERT_TRUE(since.ok());
  std::vector<std::string> got;
  for (const ChangeRecord& c : *since) got.push_back(Line(c.event));
  EXPECT_EQ(got, (std::vector<std::string>{"200 answer_edited 11 1 r2 ",
                                           "300 thread_added 22 - r0 Twenty-two",
                                           "300 answer_added 22 5 r1 "}));
  auto none = store_->Changes(Timestamp::FromSeconds(301));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

// A deleted answer's event names the author it had.
TEST_P(ChangesTest, DeletionCarriesTheAnswersAuthor) {
  Refresh(100, Snap(11, "Eleven", {{1, "one"}, {2, "two"}}));
  Refresh(200, Snap(11, "Eleven", {{1, "one"}}));
  auto changes = store_->Changes(Timestamp::FromSeconds(200));
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].event.kind, model::EventKind::kAnswerDeleted);
  EXPECT_EQ((*changes)[0].author, "author2");
}

// The query is a range over events_at, not a scan of the events table.
TEST(ChangesSqliteTest, UsesTheTimeIndex) {
  TempDir dir;
  const std::string path = dir.Path("archive.db");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  const std::string plan = Query(
      path,
      "EXPLAIN QUERY PLAN SELECT e.at, t.title, a.source_id, r.number, "
      "coalesce(r.author_name, a.author_name) FROM events e JOIN threads t ON t.id = e.thread_id "
      "LEFT JOIN answers a ON a.id = e.answer_id LEFT JOIN revisions r ON r.id = e.revision_id "
      "WHERE e.at >= 5 ORDER BY e.at, e.id");
  EXPECT_NE(plan.find("USING INDEX events_at (at>?)"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SCAN e"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

INSTANTIATE_TEST_SUITE_P(Backends, ChangesTest, ::testing::ValuesIn(testing::Backends()),
                         testing::BackendName);

}  // namespace
}  // namespace archivist::store
