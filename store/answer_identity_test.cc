// One answer id under two questions: lookups that name a question find that question's
// answer; lookups that name none refuse to guess.
#include <gtest/gtest.h>

#include "diff/classify.h"
#include "store/store_test_util.h"
#include "store/test_archive.h"

namespace archivist::store {
namespace {

constexpr model::QuestionId kQ1 = 11, kQ2 = 22, kQ3 = 33;
constexpr model::AnswerId kX = 777;

model::Snapshot Snap(model::QuestionId q, const std::string& text, int64_t updated) {
  model::Snapshot s;
  s.question.id = q;
  s.question.title = "title " + std::to_string(q);
  model::Answer a;
  a.id = kX;
  a.author.name = "author";
  a.updated_time = updated;
  a.content_html = "<p>" + text + "</p>";
  s.answers.push_back(a);
  s.outcome = model::Outcome::kComplete;
  s.pages = 1;
  return s;
}

class AnswerIdentityTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    auto a = GetParam().open();
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    archive_ = std::move(*a);
    store_ = &archive_->store();
    for (model::QuestionId q : {kQ1, kQ2, kQ3}) {
      ASSERT_TRUE(store_->AddThread({"zhihu", q}, Timestamp::FromSeconds(1)).ok());
    }
    Refresh(kQ1, 100, "under one");
    Refresh(kQ2, 200, "under two");
    Refresh(kQ2, 300, "under two, edited");  // r2 exists only under question 22
  }

  void Refresh(model::QuestionId q, int64_t seconds, const std::string& text) {
    auto state = store_->LoadState({"zhihu", q});
    ASSERT_TRUE(state.ok());
    model::ChangeSet cs = diff::Classify(*state, Snap(q, text, seconds), {});
    for (auto& r : cs.revisions) r.markdown = text;
    ASSERT_TRUE(store_->CommitRefresh(testing::Record(q, seconds, std::move(cs))).ok());
  }

  std::unique_ptr<testing::TestArchive> archive_;
  Store* store_ = nullptr;  // archive_'s
};

TEST_P(AnswerIdentityTest, ALookupNamingTheQuestionFindsThatQuestionsAnswer) {
  auto two = store_->Revisions({"zhihu", kX, kQ2});
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].markdown, "under two, edited");
  EXPECT_EQ((*two)[1].question, kQ2);
  auto one = store_->Revisions({"zhihu", kX, kQ1});
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].markdown, "under one");
  auto r2 = store_->GetRevision({"zhihu", kX, kQ2}, 2, /*with_html=*/true);
  ASSERT_TRUE(r2.ok()) << r2.status().ToString();
  EXPECT_EQ(r2->html, "<p>under two, edited</p>");
  EXPECT_EQ(store_->GetRevision({"zhihu", kX, kQ1}, 2).status().code(),
            Status::Code::kNotFound);
  const Status none = store_->Revisions({"zhihu", kX, kQ3}).status();
  EXPECT_EQ(none.code(), Status::Code::kNotFound);
  EXPECT_NE(none.message().find("under question 33"), std::string::npos) << none.message();
}

TEST_P(AnswerIdentityTest, ALookupNamingNoQuestionRefusesToGuess) {
  const Status st = store_->Revisions({"zhihu", kX}).status();
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(st.message().find("is under more than one question (11, 22)"), std::string::npos)
      << st.message();
  EXPECT_EQ(store_->GetRevision({"zhihu", kX}, 1).status().code(),
            Status::Code::kInvalidArgument);
}

TEST_P(AnswerIdentityTest, EventsAndThreadAtTimeStayScopedByThread) {
  auto events = store_->Events({{"zhihu", kQ2}, kX, std::nullopt});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].kind, model::EventKind::kAnswerEdited);
  auto at = store_->ThreadAtTime({"zhihu", kQ1}, Timestamp::FromSeconds(400));
  ASSERT_TRUE(at.ok());
  ASSERT_EQ(at->answers.size(), 1u);
  EXPECT_EQ(at->answers[0].markdown, "under one");
  EXPECT_EQ(at->answers[0].revision, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, AnswerIdentityTest,
                         ::testing::ValuesIn(testing::Backends()), testing::BackendName);

}  // namespace
}  // namespace archivist::store
