// The contract of every Store, run against each backend (SQLite and PostgreSQL): round trips,
// the refresh transaction, as-of-time queries and renormalize. The SQLite file itself (backup,
// read-only, a full disk, fault injection) is sqlite_store_file_test.cc's; the fixture is
// store_fixture_test_util.h.
#include <gtest/gtest.h>

#include "store/store_fixture_test_util.h"

namespace archivist::store::testing {
namespace {

using model::EventKind;
using model::Outcome;

TEST_P(StoreTest, AddThreadIsIdempotentAndReactivates) {
  auto again = store_->AddThread({"zhihu", kQ}, Timestamp::FromSeconds(5));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  ASSERT_TRUE(store_->SetTracking({"zhihu", kQ}, Tracking::kRemoved).ok());
  auto t = store_->GetThread({"zhihu", kQ});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->tracking, Tracking::kRemoved);
  EXPECT_TRUE(*store_->AddThread({"zhihu", kQ}, Timestamp::FromSeconds(6)));
  EXPECT_EQ(store_->GetThread({"zhihu", kQ})->tracking, Tracking::kActive);
  EXPECT_EQ(store_->GetThread({"zhihu", kQ})->added_at, Timestamp::FromSeconds(1));
  EXPECT_EQ(store_->SetTracking({"zhihu", 5}, Tracking::kRetired).code(), Status::Code::kNotFound);
}

// A whole timeline through Classify and back: every event kind, history queries, and the
// thread as it was at each point.
TEST_P(StoreTest, TimelineRoundTrip) {
  ASSERT_TRUE(Refresh(100, Snap({A(1, "one"), A(2, "two")})).ok());
  ASSERT_TRUE(Refresh(200, Snap({A(3, "three"), A(1, "one"), A(2, "two v2", 150)})).ok());
  ASSERT_TRUE(Refresh(250, Snap({}, Outcome::kBlocked)).ok());
  ASSERT_TRUE(Refresh(260, Snap({A(3, "three")}, Outcome::kAuthRequired)).ok());
  ASSERT_TRUE(Refresh(300, Snap({A(3, "three"), A(2, "two v2", 150)}), {{1, model::ProbeResult::kGone}}).ok());
  ASSERT_TRUE(Refresh(400, Snap({A(1, "one"), A(3, "three"), A(2, "two v2", 150)}, Outcome::kComplete, "Title two")).ok());

  EXPECT_EQ(Kinds({{"zhihu", kQ}, std::nullopt, std::nullopt}),
            (std::vector<std::string>{"thread_added", "answer_added 1 r1", "answer_added 2 r1",
                                      "answer_added 3 r1", "answer_edited 2 r2",
                                      "answer_deleted 1", "title_changed",
                                      "answer_restored 1 r1"}));
  EXPECT_EQ(Kinds({{"zhihu", kQ}, 2, std::nullopt}),
            (std::vector<std::string>{"answer_added 2 r1", "answer_edited 2 r2"}));
  EXPECT_EQ(Kinds({{"zhihu", kQ}, std::nullopt, Timestamp::FromSeconds(300)}),
            (std::vector<std::string>{"answer_deleted 1", "title_changed", "answer_restored 1 r1"}));

  EXPECT_EQ(At(100), "Title one @100: 1r1 2r1");
  EXPECT_EQ(At(199), "Title one @100: 1r1 2r1");
  EXPECT_EQ(At(200), "Title one @200: 3r1 1r1 2r2");
  EXPECT_EQ(At(260), "Title one @200: 3r1 1r1 2r2");  // failed fetches change nothing
  EXPECT_EQ(At(300), "Title one @300: 3r1 2r2");
  EXPECT_EQ(At(400), "Title two @400: 1r1 3r1 2r2");
  auto before = store_->ThreadAtTime({"zhihu", kQ}, Timestamp::FromSeconds(99));
  EXPECT_EQ(before.status().code(), Status::Code::kNotFound);

  auto at = store_->ThreadAtTime({"zhihu", kQ}, Timestamp::FromSeconds(300));
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at->first_archived, Timestamp::FromSeconds(100));
  EXPECT_EQ(at->answers[1].markdown, "md <p>two v2</p>");
  EXPECT_EQ(at->answers[1].author_name, "author2");

  auto revs = store_->Revisions({"zhihu", 2});
  ASSERT_TRUE(revs.ok());
  ASSERT_EQ(revs->size(), 2u);
  EXPECT_EQ((*revs)[1].number, 2);
  EXPECT_EQ((*revs)[1].updated_time, 150);
  EXPECT_EQ((*revs)[1].observed_at, Timestamp::FromSeconds(200));
  EXPECT_EQ((*revs)[0].question, kQ);
  auto r2 = store_->GetRevision({"zhihu", 2}, 2, true);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->html, "<p>two v2</p>");
  EXPECT_EQ(store_->GetRevision({"zhihu", 2}, 3).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->Revisions({"zhihu", 99}).status().code(), Status::Code::kNotFound);

  auto fetches = store_->FetchRecords({"zhihu", kQ});
  ASSERT_TRUE(fetches.ok());
  ASSERT_EQ(fetches->size(), 6u);
  EXPECT_EQ((*fetches)[2].outcome, Outcome::kBlocked);
  EXPECT_EQ((*fetches)[3].outcome, Outcome::kAuthRequired);

  auto summary = store_->GetThread({"zhihu", kQ});
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->title, "Title two");
  EXPECT_EQ(summary->present_answers, 3);
  EXPECT_EQ(summary->last_event, Timestamp::FromSeconds(400));
  EXPECT_EQ(summary->last_outcome, "complete");
}

TEST_P(StoreTest, TheLastFetchIsNeverBeforeTheLastChange) {
  // As the pipeline stamps them: the fetch starts at 100 s and takes 40 s (a Retry-After),
  // its events are stamped when it ends.
  model::ChangeSet cs = diff::Classify(*store_->LoadState({"zhihu", kQ}), Snap({A(1, "one")}),
                                       {}, classify_, Timestamp::FromSeconds(140));
  RefreshRecord rec = testing::Record(kQ, 140, std::move(cs));
  rec.fetch.started_at = Timestamp::FromSeconds(100);
  rec.fetch.duration_ms = 39'990;
  ASSERT_TRUE(store_->CommitRefresh(rec).ok());
  auto threads = store_->ListThreads();
  ASSERT_TRUE(threads.ok());
  ASSERT_EQ(threads->size(), 1u);
  const ThreadSummary& t = threads->front();
  ASSERT_TRUE(t.last_event && t.last_fetch);
  EXPECT_EQ(*t.last_event, Timestamp::FromSeconds(140));
  EXPECT_EQ(*t.last_fetch, Timestamp::FromSeconds(140));
  // A fetch without events ended at its start plus its duration.
  cs = diff::Classify(*store_->LoadState({"zhihu", kQ}), Snap({A(1, "one")}), {}, classify_,
                      Timestamp::FromSeconds(200));
  rec = testing::Record(kQ, 200, std::move(cs));
  rec.fetch.started_at = Timestamp::FromSeconds(195);
  rec.fetch.duration_ms = 3'000;
  ASSERT_TRUE(store_->CommitRefresh(rec).ok());
  threads = store_->ListThreads();
  EXPECT_EQ(*threads->front().last_event, Timestamp::FromSeconds(140));
  EXPECT_EQ(*threads->front().last_fetch, Timestamp::FromSeconds(198));
}

TEST_P(StoreTest, LoadStateReflectsCommittedState) {
  ASSERT_TRUE(Refresh(100, Snap({A(1, "one"), A(2, "two")})).ok());
  ASSERT_TRUE(Refresh(200, Snap({A(2, "two", 170)})).ok());  // 1 absent once; 2 edited
  auto st = store_->LoadState({"zhihu", kQ});
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->archived);
  EXPECT_EQ(st->title, "Title one");
  ASSERT_EQ(st->answers.size(), 2u);
  EXPECT_EQ(st->answers[0].id, 2u);  // order recorded with the edit
  EXPECT_EQ(st->answers[0].latest_revision, 2);
  EXPECT_EQ(st->answers[0].updated_time, 170);
  EXPECT_EQ(st->answers[1].absent_count, 1);
  EXPECT_EQ(st->answers[1].state, model::AnswerState::kPresent);
  // Unchanged again: nothing new.
  const int64_t version = st->version;
  ASSERT_TRUE(Refresh(300, Snap({A(2, "two", 170), A(1, "one")})).ok());
  EXPECT_EQ(Kinds({{"zhihu", kQ}, std::nullopt, Timestamp::FromSeconds(300)}).size(), 0u);
  EXPECT_EQ(store_->LoadState({"zhihu", kQ})->version, version + 1);
  EXPECT_EQ(store_->LoadState({"zhihu", kQ})->answers[1].absent_count, 0);
}

TEST_P(StoreTest, FailedFetchCommitsOnlyItsFetchRecord) {
  ASSERT_TRUE(Refresh(100, Snap({A(1, "one")})).ok());
  const std::string before = Query("SELECT count(*) FROM events; SELECT count(*) FROM revisions;"
                                          "SELECT * FROM answers");
  for (Outcome o : {Outcome::kBlocked, Outcome::kAuthRequired, Outcome::kTransient,
                    Outcome::kRateLimited, Outcome::kTooLarge, Outcome::kInvalidResponse}) {
    ASSERT_TRUE(Refresh(200, Snap({}, o)).ok());
  }
  EXPECT_EQ(Query("SELECT count(*) FROM events; SELECT count(*) FROM revisions;"
                         "SELECT * FROM answers"), before);
  EXPECT_EQ(Query("SELECT count(*) FROM fetches"), "7\n");
}

// A fetch that failed on a later page keeps the whole answers of the pages before it
// (docs/store.md): they are recorded like a partial listing's, and nothing is deleted.
TEST_P(StoreTest, FailedFetchWithWholeAnswersAddsAndEditsOnly) {
  ASSERT_TRUE(Refresh(100, Snap({A(1, "one"), A(2, "two")})).ok());
  ASSERT_TRUE(Refresh(200, Snap({A(1, "one v2", 150), A(3, "three")}, Outcome::kRateLimited),
                      {{2, model::ProbeResult::kGone}}).ok());
  EXPECT_EQ(Kinds({{"zhihu", kQ}, std::nullopt, Timestamp::FromSeconds(200)}),
            (std::vector<std::string>{"answer_edited 1 r2", "answer_added 3 r1"}));
  EXPECT_EQ(store_->GetThread({"zhihu", kQ})->present_answers, 3);
}

TEST_P(StoreTest, NotFoundTwiceRecordsThreadGone) {
  ASSERT_TRUE(Refresh(100, Snap({A(1, "one")})).ok());
  ASSERT_TRUE(Refresh(200, Snap({}, Outcome::kNotFound)).ok());
  EXPECT_FALSE(store_->GetThread({"zhihu", kQ})->gone);
  ASSERT_TRUE(Refresh(300, Snap({}, Outcome::kNotFound)).ok());
  EXPECT_TRUE(store_->GetThread({"zhihu", kQ})->gone);
  ASSERT_TRUE(Refresh(400, Snap({}, Outcome::kNotFound)).ok());
  EXPECT_EQ(Kinds({{"zhihu", kQ}, std::nullopt, Timestamp::FromSeconds(200)}),
            (std::vector<std::string>{"thread_gone"}));
}

// schedule.gone_after through the store: the start of the not_found run is kept across
// refreshes (and across outcomes without evidence), and thread_returned ends the gap.
TEST_P(StoreTest, GoneAfterASpanAndReturned) {
  classify_.gone_after_us = 1000 * 1'000'000;  // 1000 s
  ASSERT_TRUE(Refresh(100, Snap({A(1, "one")})).ok());
  ASSERT_TRUE(Refresh(200, Snap({}, Outcome::kNotFound)).ok());
  EXPECT_EQ(store_->LoadState({"zhihu", kQ})->first_not_found_us, 200 * 1'000'000);
  ASSERT_TRUE(Refresh(206, Snap({}, Outcome::kNotFound)).ok());
  ASSERT_TRUE(Refresh(700, Snap({}, Outcome::kTransient)).ok());
  ASSERT_TRUE(Refresh(900, Snap({}, Outcome::kNotFound)).ok());
  EXPECT_FALSE(store_->GetThread({"zhihu", kQ})->gone);  // 3 outcomes, but only 700 s
  EXPECT_EQ(store_->LoadState({"zhihu", kQ})->not_found_count, 3);
  ASSERT_TRUE(Refresh(1200, Snap({}, Outcome::kNotFound)).ok());
  EXPECT_TRUE(store_->GetThread({"zhihu", kQ})->gone);
  EXPECT_EQ(store_->LoadState({"zhihu", kQ})->gone_at_us, 1200 * 1'000'000);
  ASSERT_TRUE(Refresh(1500, Snap({A(1, "one"), A(2, "two")})).ok());
  EXPECT_FALSE(store_->GetThread({"zhihu", kQ})->gone);
  auto events = store_->Events({{"zhihu", kQ}, std::nullopt, Timestamp::FromSeconds(200)});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].kind, EventKind::kThreadGone);
  EXPECT_EQ((*events)[0].details,
            "4 consecutive not_found outcomes since 1970-01-01T00:03:20.000000+00:00");
  EXPECT_EQ((*events)[1].kind, EventKind::kThreadReturned);
  EXPECT_EQ((*events)[1].details, "gone since 1970-01-01T00:20:00.000000+00:00");
  EXPECT_EQ((*events)[2].kind, EventKind::kAnswerAdded);
  const model::ThreadState st = *store_->LoadState({"zhihu", kQ});
  EXPECT_EQ(st.not_found_count, 0);
  EXPECT_EQ(st.first_not_found_us, 0);
  EXPECT_EQ(st.gone_at_us, 0);
  // The document at the return dates from it (a thread event records the order too).
  EXPECT_EQ(At(1500), "Title one @1500: 1r1 2r1");
}

// Defence in depth: even a buggy caller cannot store a deletion from a partial fetch.
TEST_P(StoreTest, StoreRefusesDeletionFromIncompleteFetch) {
  ASSERT_TRUE(Refresh(100, Snap({A(1, "one")})).ok());
  const std::string before = Dump();
  model::ChangeSet cs;
  cs.base_version = store_->LoadState({"zhihu", kQ})->version;
  cs.answers.push_back({1, false, model::AnswerState::kDeleted, "author1", 2, false});
  cs.events.push_back({EventKind::kAnswerDeleted, 1, 0, "bug"});
  for (Outcome o : {Outcome::kPartial, Outcome::kAuthRequired, Outcome::kBlocked}) {
    Status st = store_->CommitRefresh(testing::Record(kQ, 200, cs, o));
    EXPECT_EQ(st.code(), Status::Code::kInternal) << st.ToString();
  }
  EXPECT_EQ(Dump(), before);
}

TEST_P(StoreTest, StaleStateIsRefused) {
  auto stale = store_->LoadState({"zhihu", kQ});
  ASSERT_TRUE(Refresh(100, Snap({A(1, "one")})).ok());
  const std::string before = Dump();
  model::ChangeSet cs = diff::Classify(*stale, Snap({A(2, "two")}), {});
  Status st = store_->CommitRefresh(testing::Record(kQ, 200, cs));
  EXPECT_EQ(st.code(), Status::Code::kUnavailable) << st.ToString();
  EXPECT_EQ(Dump(), before);
}

TEST_P(StoreTest, RevisionNumbersMustBeDense) {
  ASSERT_TRUE(Refresh(100, Snap({A(1, "one")})).ok());
  const std::string before = Dump();
  model::ChangeSet cs;
  cs.base_version = store_->LoadState({"zhihu", kQ})->version;
  cs.answers.push_back({1, false, model::AnswerState::kPresent, "author1", 0, true});
  cs.revisions.push_back(testing::Revision(1, 3, "skips 2"));
  cs.events.push_back({EventKind::kAnswerEdited, 1, 3, ""});
  Status st = store_->CommitRefresh(testing::Record(kQ, 200, cs));
  EXPECT_EQ(st.code(), Status::Code::kInternal) << st.ToString();
  EXPECT_NE(st.message().find("dense"), std::string::npos);
  EXPECT_EQ(Dump(), before);
}

TEST_P(StoreTest, UnknownThreadIsNotFound) {
  EXPECT_EQ(store_->LoadState({"zhihu", 12}).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->Events({{"zhihu", 12}, std::nullopt, std::nullopt}).status().code(),
            Status::Code::kNotFound);
  Status st = store_->CommitRefresh(testing::Record(12, 5, {}));
  EXPECT_EQ(st.code(), Status::Code::kNotFound);
  EXPECT_NE(st.message().find("zhihu:12"), std::string::npos);
}

TEST_P(StoreTest, LargeIdsRoundTrip) {
  const model::QuestionId big = 18446744073709551000ULL;  // above 2^63
  ASSERT_TRUE(store_->AddThread({"zhihu", big}, Timestamp::FromSeconds(1)).ok());
  model::ThreadState st = *store_->LoadState({"zhihu", big});
  model::Snapshot s = Snap({A(18446744073709551557ULL, "x")});
  s.question.id = big;
  model::ChangeSet cs = diff::Classify(st, s, {});
  ASSERT_TRUE(store_->CommitRefresh(testing::Record(big, 10, cs)).ok());
  auto events = store_->Events({{"zhihu", big}, std::nullopt, std::nullopt});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(*(*events)[1].answer, 18446744073709551557ULL);
  EXPECT_EQ(store_->LoadState({"zhihu", big})->answers[0].id, 18446744073709551557ULL);
}

TEST_P(StoreTest, ScheduleAndDueThreads) {
  ASSERT_TRUE(store_->AddThread({"zhihu", 5}, Timestamp::FromSeconds(1)).ok());
  ASSERT_TRUE(store_->SetSchedule({"zhihu", kQ}, {Timestamp::FromSeconds(500), 600}).ok());
  auto due = store_->DueThreads(Timestamp::FromSeconds(100), 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);  // kQ is not due until 500; 5 has never been scheduled
  EXPECT_EQ((*due)[0].id, 5u);
  EXPECT_EQ(store_->DueThreads(Timestamp::FromSeconds(500), 10)->size(), 2u);
  ASSERT_TRUE(store_->SetTracking({"zhihu", 5}, Tracking::kRetired).ok());
  EXPECT_EQ(store_->DueThreads(Timestamp::FromSeconds(500), 10)->size(), 1u);
  // A refresh stores the scheduler's decision in the same commit.
  model::ChangeSet cs = diff::Classify(*store_->LoadState({"zhihu", kQ}), Snap({}), {});
  RefreshRecord rec = testing::Record(kQ, 600, cs);
  rec.schedule = Schedule{Timestamp::FromSeconds(9000), 900};
  ASSERT_TRUE(store_->CommitRefresh(rec).ok());
  auto t = store_->GetThread({"zhihu", kQ});
  EXPECT_EQ(t->schedule->next_due, Timestamp::FromSeconds(9000));
  EXPECT_EQ(t->schedule->interval_seconds, 900);
  EXPECT_EQ(store_->ListThreads()->size(), 2u);
}

TEST_P(StoreTest, RenormalizeRewritesMarkdownWithoutEvents) {
  std::vector<model::Answer> answers;
  for (int i = 1; i <= 450; ++i) answers.push_back(A(i, "text " + std::to_string(i)));
  ASSERT_TRUE(Refresh(100, Snap(answers)).ok());
  const std::string events_before = Query("SELECT * FROM events ORDER BY id");
  auto n = store_->Renormalize(2, [](std::string_view html) { return "v2 " + std::string(html); });
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 450);
  EXPECT_EQ(Query("SELECT * FROM events ORDER BY id"), events_before);
  EXPECT_EQ(store_->GetRevision({"zhihu", 7}, 1)->markdown, "v2 <p>text 7</p>");
  EXPECT_EQ(store_->GetRevision({"zhihu", 7}, 1)->normalizer_version, 2);
  EXPECT_EQ(*store_->Renormalize(2, [](std::string_view) { return std::string("x"); }), 0);
}

TEST_P(StoreTest, InterruptedRenormalizeResumes) {
  std::vector<model::Answer> answers;
  for (int i = 1; i <= 450; ++i) answers.push_back(A(i, "t" + std::to_string(i)));
  ASSERT_TRUE(Refresh(100, Snap(answers)).ok());
  int writes = 0;
  archive_->SetFaultHook([&](std::string_view op) {
    return op == "update markdown" && ++writes == 250 ? Status::IoError("injected") : Status::Ok();
  });
  auto convert = [](std::string_view html) { return "v3 " + std::string(html); };
  EXPECT_FALSE(store_->Renormalize(3, convert).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM revisions WHERE normalizer_version = 3"), "200\n");
  archive_->SetFaultHook(nullptr);
  EXPECT_EQ(*store_->Renormalize(3, convert), 250);
  EXPECT_EQ(Query("SELECT count(*) FROM revisions WHERE normalizer_version = 3"), "450\n");
}
// Fail each write of a refresh in turn, and then its commit: every time the archive must be
// exactly as it was before; afterwards the same refresh must go through.
TEST_P(StoreTest, FaultInjectionLeavesNothingHalfWritten) {
  ASSERT_TRUE(Refresh(100, Snap({A(1, "one"), A(2, "two"), A(3, "three")})).ok());
  const auto snap = Snap({A(4, "four"), A(1, "one v2", 130), A(3, "three")}, Outcome::kComplete,
                         "Renamed");
  const std::string before = Dump();
  // Count the operations of this refresh: the last one is the commit, failed here.
  int total_ops = 0;
  archive_->SetFaultHook([&](std::string_view name) {
    ++total_ops;
    return name == "commit" ? Status::IoError("counted") : Status::Ok();
  });
  ASSERT_FALSE(Refresh(200, snap, {{2, model::ProbeResult::kGone}}).ok());
  ASSERT_GT(total_ops, 10);
  ASSERT_EQ(Dump(), before);
  for (int fail_at = 1; fail_at <= total_ops; ++fail_at) {
    int op = 0;
    std::string failed_op;
    archive_->SetFaultHook([&](std::string_view name) {
      if (++op == fail_at) {
        failed_op = name;
        return Status::IoError("injected failure");
      }
      return Status::Ok();
    });
    Status st = Refresh(200, snap, {{2, model::ProbeResult::kGone}});
    EXPECT_FALSE(st.ok()) << "operation " << fail_at;
    EXPECT_EQ(Dump(), before) << "after failing operation " << fail_at << " ("
                                          << failed_op << ")";
  }
  archive_->SetFaultHook(nullptr);
  ASSERT_TRUE(Refresh(200, snap, {{2, model::ProbeResult::kGone}}).ok());
  EXPECT_NE(Dump(), before);
  EXPECT_EQ(Kinds({{"zhihu", kQ}, std::nullopt, Timestamp::FromSeconds(200)}),
            (std::vector<std::string>{"title_changed", "answer_added 4 r1", "answer_edited 1 r2",
                                      "answer_deleted 2"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace archivist::store::testing
