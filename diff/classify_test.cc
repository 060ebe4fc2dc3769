// One case per rule of diff/classify.h (R1–R8), table-driven: a stored state, a snapshot and
// probe results in; the expected events (kind, answer, revision) out.
#include "diff/classify.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "diff/content_hash.h"

namespace archivist::diff {
namespace {

using model::AnswerState;
using model::EventKind;
using model::Outcome;
using model::ProbeResult;

model::Answer MakeAnswer(model::AnswerId id, const std::string& html, int64_t updated = 100,
                         const std::string& author = "") {
  model::Answer a;
  a.id = id;
  a.content_html = html;
  a.created_time = 50;
  a.updated_time = updated;
  a.author.name = author.empty() ? "author" + std::to_string(id) : author;
  a.voteup_count = 1;
  return a;
}

model::StoredAnswer Stored(model::AnswerId id, const std::string& html, int revision = 1,
                           AnswerState state = AnswerState::kPresent, int absent = 0) {
  model::StoredAnswer s;
  s.id = id;
  s.state = state;
  s.author_name = "author" + std::to_string(id);
  s.latest_revision = revision;
  s.content_hash = ContentHash(html);
  s.updated_time = 100;
  s.absent_count = absent;
  return s;
}

// A thread with answers 1..n stored as "<p>n</p>", all present.
model::ThreadState Archived(int n, int absent = 0) {
  model::ThreadState st;
  st.id = 77;
  st.archived = true;
  st.title = "Title";
  st.version = 5;
  for (int i = 1; i <= n; ++i) {
    st.answers.push_back(Stored(i, "<p>" + std::to_string(i) + "</p>", 1,
                                AnswerState::kPresent, absent));
  }
  return st;
}

// A snapshot listing the given answer ids with their stored content.
model::Snapshot Listing(std::vector<model::AnswerId> ids, Outcome outcome = Outcome::kComplete) {
  model::Snapshot s;
  s.question.id = 77;
  s.question.title = "Title";
  s.outcome = outcome;
  for (auto id : ids) s.answers.push_back(MakeAnswer(id, "<p>" + std::to_string(id) + "</p>"));
  return s;
}

struct Ev {
  EventKind kind;
  model::AnswerId answer;
  int revision;
  bool operator==(const Ev&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Ev& e) {
  return os << model::EventKindName(e.kind) << "(" << e.answer << ", r" << e.revision << ")";
}

struct Case {
  std::string name;
  model::ThreadState state;
  model::Snapshot snapshot;
  ProbeResults probes;
  ClassifyOptions options;
  std::vector<Ev> events;
  int new_revisions;
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  auto add = [&](std::string name, model::ThreadState st, model::Snapshot snap, ProbeResults pr,
                 std::vector<Ev> ev, int revs, ClassifyOptions opt = {}) {
    cases.push_back({std::move(name), std::move(st), std::move(snap), std::move(pr), opt,
                     std::move(ev), revs});
  };
  {
    model::ThreadState fresh;
    fresh.id = 77;
    add("first_snapshot_adds_thread_and_answers", fresh, Listing({1, 2}), {},
        {{EventKind::kThreadAdded, 0, 0}, {EventKind::kAnswerAdded, 1, 1},
         {EventKind::kAnswerAdded, 2, 1}}, 2);
  }
  add("unchanged_snapshot_changes_nothing", Archived(3), Listing({1, 2, 3}), {}, {}, 0);
  {
    auto snap = Listing({1, 2});
    snap.answers[1].content_html = "<p>2 edited</p>";
    add("R1_html_change_is_edit", Archived(2), snap, {}, {{EventKind::kAnswerEdited, 2, 2}}, 1);
  }
  {
    auto snap = Listing({1, 2});
    snap.answers[0].updated_time = 200;
    add("R1_updated_time_move_is_edit", Archived(2), snap, {}, {{EventKind::kAnswerEdited, 1, 2}},
        1);
  }
  {
    auto snap = Listing({1, 2});
    snap.answers[0].author.name = "renamed";
    snap.answers[1].voteup_count = 999;
    snap.answers[1].comment_count = 12;
    add("R1_rename_and_votes_are_not_edits", Archived(2), snap, {}, {}, 0);
  }
  add("new_answer_in_known_thread", Archived(2), Listing({3, 1, 2}), {},
      {{EventKind::kAnswerAdded, 3, 1}}, 1);
  add("R2_first_absence_does_not_delete", Archived(3), Listing({1, 2}), {}, {}, 0);
  {
    auto st = Archived(3);
    st.answers[2].absent_count = 1;
    add("R2_kth_absence_deletes", st, Listing({1, 2}), {}, {{EventKind::kAnswerDeleted, 3, 0}}, 0);
  }
  add("R2_probe_gone_deletes_at_once", Archived(3), Listing({1, 2}), {{3, ProbeResult::kGone}},
      {{EventKind::kAnswerDeleted, 3, 0}}, 0);
  {
    auto st = Archived(3);
    st.answers[2].absent_count = 4;
    add("R2_probe_exists_blocks_deletion", st, Listing({1, 2}), {{3, ProbeResult::kExists}}, {},
        0);
  }
  add("R2_k_of_one_deletes_on_first_absence", Archived(3), Listing({1, 2}), {},
      {{EventKind::kAnswerDeleted, 3, 0}}, 0, ClassifyOptions{1, 2});
  add("R3_mass_disappearance_without_probes_deletes_nothing", Archived(10, 7), Listing({1, 2, 3}),
      {}, {}, 0);
  add("R3_mass_disappearance_deletes_only_probed_gone", Archived(10, 7), Listing({1, 2, 3}),
      {{4, ProbeResult::kGone}, {5, ProbeResult::kUnknown}, {6, ProbeResult::kExists}},
      {{EventKind::kAnswerDeleted, 4, 0}}, 0);
  add("R3_exactly_half_missing_is_not_suspicious", Archived(4, 1), Listing({1, 2}), {},
      {{EventKind::kAnswerDeleted, 3, 0}, {EventKind::kAnswerDeleted, 4, 0}}, 0);
  add("R4_partial_never_deletes_even_when_probed_gone", Archived(5, 9), Listing({1}, Outcome::kPartial),
      {{2, ProbeResult::kGone}, {3, ProbeResult::kGone}}, {}, 0);
  {
    auto snap = Listing({1, 9}, Outcome::kPartial);
    snap.answers[0].content_html = "<p>1 v2</p>";
    add("R4_partial_adds_and_edits", Archived(3, 1), snap, {},
        {{EventKind::kAnswerEdited, 1, 2}, {EventKind::kAnswerAdded, 9, 1}}, 2);
  }
  for (Outcome o : {Outcome::kBlocked, Outcome::kAuthRequired, Outcome::kRateLimited,
                    Outcome::kTransient, Outcome::kInvalidResponse, Outcome::kTooLarge}) {
    // Without answers a failed fetch is no evidence of anything.
    auto empty = Listing({}, o);
    empty.question.title = "Other title";
    add("R4_" + std::string(model::OutcomeName(o)) + "_without_answers_changes_nothing",
        Archived(4, 9), empty, {{2, ProbeResult::kGone}}, {}, 0);
    // fetch/ keeps only whole pages before the failure and drops truncated answers: what it
    // kept adds and edits (like a partial listing), and deletes nothing.
    auto snap = Listing({1, 7}, o);
    snap.answers[0].content_html = "<p>1 v2</p>";
    add("R4_" + std::string(model::OutcomeName(o)) + "_with_whole_answers_adds_and_edits",
        Archived(4, 9), snap, {{2, ProbeResult::kGone}},
        {{EventKind::kAnswerEdited, 1, 2}, {EventKind::kAnswerAdded, 7, 1}}, 2);
  }
  for (Outcome o : {Outcome::kNotModified, Outcome::kNotFound}) {
    auto snap = Listing({1}, o);  // never produced by fetch/; ignored if it were
    snap.answers[0].content_html = "<p>1 v2</p>";
    add("R4_" + std::string(model::OutcomeName(o)) + "_answers_are_ignored", Archived(4, 0),
        snap, {}, {}, 0);
  }
  {
    auto st = Archived(3);
    st.answers[1].state = AnswerState::kDeleted;
    add("R5_reappearing_answer_is_restored", st, Listing({1, 2, 3}), {},
        {{EventKind::kAnswerRestored, 2, 1}}, 0);
    auto snap = Listing({1, 2, 3});
    snap.answers[1].content_html = "<p>2 rewritten</p>";
    add("R5_restored_with_new_content_gets_one_event", st, snap, {},
        {{EventKind::kAnswerRestored, 2, 2}}, 1);
    add("R5_deleted_and_still_absent_is_left_alone", st, Listing({1, 3}), {}, {}, 0);
  }
  {
    auto snap = Listing({1});
    snap.question.title = "New title";
    add("R6_title_change", Archived(1), snap, {}, {{EventKind::kTitleChanged, 0, 0}}, 0);
    snap.question.title = "";
    add("R6_empty_title_is_not_a_change", Archived(1), snap, {}, {}, 0);
  }
  {
    const ClassifyOptions count_only{2, 2, 0};  // gone_after = "0s": the count alone
    auto st = Archived(2);
    add("R7_first_not_found_is_not_gone", st, Listing({}, Outcome::kNotFound), {}, {}, 0,
        count_only);
    st.not_found_count = 1;
    add("R7_second_not_found_is_gone", st, Listing({}, Outcome::kNotFound), {},
        {{EventKind::kThreadGone, 0, 0}}, 0, count_only);
    add("R7_second_not_found_at_once_is_not_gone_by_default", st,
        Listing({}, Outcome::kNotFound), {}, {}, 0);
    st.not_found_count = 2;
    st.gone = true;
    add("R7_gone_is_recorded_once", st, Listing({}, Outcome::kNotFound), {}, {}, 0, count_only);
    add("R8_gone_thread_served_again_returns", st, Listing({1, 2}), {},
        {{EventKind::kThreadReturned, 0, 0}}, 0);
    add("R8_returned_comes_before_the_other_events", st, Listing({3, 1, 2}), {},
        {{EventKind::kThreadReturned, 0, 0}, {EventKind::kAnswerAdded, 3, 1}}, 1);
    add("R8_partial_listing_returns_too", st, Listing({1}, Outcome::kPartial), {},
        {{EventKind::kThreadReturned, 0, 0}}, 0);
    add("R8_not_modified_is_not_a_return", st, Listing({}, Outcome::kNotModified), {}, {}, 0);
    add("R8_failure_without_answers_is_not_a_return", st, Listing({}, Outcome::kBlocked), {},
        {}, 0);
  }
  {
    auto snap = Listing({1, 1, 2});
    add("duplicate_listing_entry_counts_once", Archived(1), snap, {},
        {{EventKind::kAnswerAdded, 2, 1}}, 1);
  }
  return cases;
}

TEST(ClassifyTest, Rules) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    const model::ChangeSet cs = Classify(c.state, c.snapshot, c.probes, c.options);
    std::vector<Ev> got;
    for (const auto& e : cs.events) got.push_back({e.kind, e.answer_id, e.revision});
    EXPECT_EQ(got, c.events);
    EXPECT_EQ(static_cast<int>(cs.revisions.size()), c.new_revisions);
    EXPECT_EQ(cs.base_version, c.state.version);
    // Every revision-carrying event names a revision that exists or is new in this set.
    for (const auto& e : cs.events) {
      if (!model::EventNeedsRevision(e.kind)) continue;
      EXPECT_GE(e.revision, 1);
    }
    for (const auto& r : cs.revisions) {
      EXPECT_EQ(r.content_hash, ContentHash(r.html));
      EXPECT_TRUE(r.markdown.empty());  // the pipeline derives it
    }
  }
}

// The worst bug: a failed or partial fetch recording answers as deleted. Whatever the
// stored counts and probes say, no such snapshot may produce a deletion or move a counter.
TEST(ClassifyTest, NoFailedOrPartialSnapshotEverDeletes) {
  for (Outcome o : {Outcome::kPartial, Outcome::kBlocked, Outcome::kAuthRequired,
                    Outcome::kRateLimited, Outcome::kTransient, Outcome::kInvalidResponse,
                    Outcome::kTooLarge, Outcome::kNotModified, Outcome::kNotFound}) {
    SCOPED_TRACE(model::OutcomeName(o));
    const auto state = Archived(20, 1);
    ProbeResults all_gone;
    for (int i = 1; i <= 20; ++i) all_gone[i] = ProbeResult::kGone;
    for (const auto& snap : {Listing({}, o), Listing({1, 2}, o)}) {
      EXPECT_TRUE(AnswersToProbe(state, snap).empty());
      const auto cs = Classify(state, snap, all_gone, ClassifyOptions{1, 2});
      EXPECT_EQ(cs.Count(EventKind::kAnswerDeleted), 0);
      for (const auto& u : cs.answers) {
        EXPECT_EQ(u.state, AnswerState::kPresent);
        EXPECT_EQ(u.absent_count, 0);
      }
    }
  }
}

TEST(ClassifyTest, AbsenceCountsAdvanceOnlyOnCompleteListings) {
  auto st = Archived(3);
  auto cs = Classify(st, Listing({1, 2}), {});
  ASSERT_EQ(cs.answers.size(), 3u);
  EXPECT_EQ(cs.answers[2].id, 3u);
  EXPECT_EQ(cs.answers[2].absent_count, 1);
  EXPECT_FALSE(cs.answers[2].seen);
  EXPECT_EQ(cs.answers[0].absent_count, 0);
  EXPECT_TRUE(cs.answers[0].seen);
  // Seen again (even in a partial listing): the count resets.
  st.answers[2].absent_count = 1;
  cs = Classify(st, Listing({3}, Outcome::kPartial), {});
  ASSERT_EQ(cs.answers.size(), 1u);
  EXPECT_EQ(cs.answers[0].absent_count, 0);
}

TEST(ClassifyTest, ProbeListIsTheAbsentPresentAnswers) {
  auto st = Archived(4);
  st.answers[3].state = AnswerState::kDeleted;
  EXPECT_EQ(AnswersToProbe(st, Listing({1})), (std::vector<model::AnswerId>{2, 3}));
  EXPECT_TRUE(IsSuspiciousShrink(st, Listing({1})));   // 2 of 3 present missing
  EXPECT_FALSE(IsSuspiciousShrink(st, Listing({1, 2})));
}

TEST(ClassifyTest, LatestAuthorNameIsKept) {
  auto snap = Listing({1});
  snap.answers[0].author.name = "new name";
  const auto cs = Classify(Archived(1), snap, {});
  ASSERT_EQ(cs.answers.size(), 1u);
  EXPECT_EQ(cs.answers[0].author_name, "new name");
}

TEST(ClassifyTest, NotFoundCountingAndReset) {
  auto st = Archived(1);
  st.not_found_count = 1;
  EXPECT_EQ(Classify(st, Listing({}, Outcome::kBlocked), {}).thread.not_found_count, 1);
  EXPECT_EQ(Classify(st, Listing({1}), {}).thread.not_found_count, 0);
  EXPECT_EQ(Classify(st, Listing({}, Outcome::kNotModified), {}).thread.not_found_count, 0);
  st.gone = true;
  const auto back = Classify(st, Listing({1}), {});
  EXPECT_FALSE(back.thread.gone);
}

constexpr int64_t kHour = 3'600'000'000;
const Timestamp kT0 = Timestamp::FromSeconds(1768636800);  // 2026-01-17T08:00:00Z

Timestamp At(int64_t hours) { return Timestamp::FromMicros(kT0.micros() + hours * kHour); }

// R7 with time: the not_found outcomes must span gone_after from the first to the last.
TEST(ClassifyTest, GoneNeedsTheCountAndTheSpan) {
  const ClassifyOptions day{2, 2, 24 * kHour};
  const auto nf = Listing({}, Outcome::kNotFound);
  model::ThreadState st = Archived(1);
  // The first not_found starts the span.
  auto cs = Classify(st, nf, {}, day, At(0));
  EXPECT_EQ(cs.thread.not_found_count, 1);
  EXPECT_EQ(cs.thread.first_not_found_us, At(0).micros());
  EXPECT_TRUE(cs.events.empty());
  // Seconds later, and a day less a second later: counted, not gone; the start is kept.
  st.not_found_count = 1;
  st.first_not_found_us = At(0).micros();
  for (Timestamp t : {Timestamp::FromMicros(At(0).micros() + 6'000'000),
                      Timestamp::FromMicros(At(24).micros() - 1'000'000)}) {
    cs = Classify(st, nf, {}, day, t);
    EXPECT_EQ(cs.thread.not_found_count, 2);
    EXPECT_EQ(cs.thread.first_not_found_us, At(0).micros());
    EXPECT_FALSE(cs.thread.gone);
    EXPECT_TRUE(cs.events.empty());
    st = Archived(1);
    st.not_found_count = 1;
    st.first_not_found_us = At(0).micros();
  }
  // A day after the first: gone, and the evidence says so.
  st.not_found_count = 5;
  cs = Classify(st, nf, {}, day, At(24));
  EXPECT_TRUE(cs.thread.gone);
  ASSERT_EQ(cs.events.size(), 1u);
  EXPECT_EQ(cs.events[0].kind, EventKind::kThreadGone);
  EXPECT_EQ(cs.events[0].details,
            "6 consecutive not_found outcomes since 2026-01-17T08:00:00.000000+00:00");
  // A day of not_found outcomes, but only one of them: not gone (the count still counts).
  st = Archived(1);
  st.first_not_found_us = At(0).micros();  // stale: the count is 0, so the span restarts
  cs = Classify(st, nf, {}, day, At(48));
  EXPECT_FALSE(cs.thread.gone);
  EXPECT_EQ(cs.thread.first_not_found_us, At(48).micros());
  // An older archive with a count but no start time: the span starts now.
  st.not_found_count = 3;
  st.first_not_found_us = 0;
  cs = Classify(st, nf, {}, day, At(48));
  EXPECT_FALSE(cs.thread.gone);
  EXPECT_EQ(cs.thread.first_not_found_us, At(48).micros());
}

TEST(ClassifyTest, NotFoundSpanResetsLikeTheCount) {
  model::ThreadState st = Archived(1);
  st.not_found_count = 1;
  st.first_not_found_us = At(0).micros();
  // No evidence either way: both kept.
  auto cs = Classify(st, Listing({}, Outcome::kTransient), {}, {}, At(30));
  EXPECT_EQ(cs.thread.not_found_count, 1);
  EXPECT_EQ(cs.thread.first_not_found_us, At(0).micros());
  // Served, or not modified: both reset.
  for (auto snap : {Listing({1}), Listing({}, Outcome::kNotModified)}) {
    cs = Classify(st, snap, {}, {}, At(30));
    EXPECT_EQ(cs.thread.not_found_count, 0);
    EXPECT_EQ(cs.thread.first_not_found_us, 0);
  }
}

TEST(ClassifyTest, ReturnedSaysSinceWhenItWasGone) {
  model::ThreadState st = Archived(1);
  st.gone = true;
  st.gone_at_us = At(24).micros();
  st.not_found_count = 4;
  st.first_not_found_us = At(0).micros();
  const auto cs = Classify(st, Listing({1}), {}, {}, At(50));
  ASSERT_EQ(cs.events.size(), 1u);
  EXPECT_EQ(cs.events[0].kind, EventKind::kThreadReturned);
  EXPECT_EQ(cs.events[0].details, "gone since 2026-01-18T08:00:00.000000+00:00");
  EXPECT_FALSE(cs.thread.gone);
  EXPECT_EQ(cs.thread.not_found_count, 0);
  ASSERT_TRUE(cs.order.has_value());  // a refresh with an event records its order
}

TEST(ClassifyTest, OrderIsRecordedOnlyWithEventsAndKeepsTheTail) {
  EXPECT_FALSE(Classify(Archived(3), Listing({3, 2, 1}), {}).order.has_value());
  const auto cs = Classify(Archived(3), Listing({4, 2}, Outcome::kPartial), {});
  ASSERT_TRUE(cs.order.has_value());
  EXPECT_EQ(*cs.order, (std::vector<model::AnswerId>{4, 2, 1, 3}));
}

TEST(ClassifyTest, FirstSnapshotSetsTitleAndQuestionAuthor) {
  model::ThreadState fresh;
  auto snap = Listing({});
  snap.question.show_author = true;
  snap.question.author.name = "asker";
  const auto cs = Classify(fresh, snap, {});
  EXPECT_TRUE(cs.thread.first_archive);
  EXPECT_EQ(cs.thread.title, "Title");
  EXPECT_EQ(cs.thread.question_author, "asker");
  ASSERT_EQ(cs.events.size(), 1u);
  EXPECT_EQ(cs.events[0].details, "Title");
}

}  // namespace
}  // namespace archivist::diff
