#include "browser/page_state.h"

#include <gtest/gtest.h>

#include "fetch/sources/zhihu_json.h"
#include "fetch/sources/zhihu_listing.h"

namespace archivist::browser {
namespace {

Json State(const std::string& text) {
  auto j = fetch::zhihu::ParseJson(text);
  EXPECT_TRUE(j.ok()) << j.status().ToString();
  return *j;
}

const char kPage[] = R"({"initialState":{
  "entities":{
    "users":{"u1":{"id":"u1","name":"Ref","urlToken":"ref"}},
    "questions":{"42":{"id":"42","title":"T","answerCount":3,"created":100,"updatedTime":200,
                       "showAuthor":true,"author":{"id":"a0","name":"Asker","urlToken":"asker"}}},
    "answers":{
      "7":{"id":"7","content":"<p>a\u003c/script></p>","createdTime":1,"updatedTime":2,"voteupCount":3,
           "commentCount":4,"author":{"id":"x","name":"N","urlToken":"n"}},
      "8":{"id":8,"content":"b","createdTime":5,"updatedTime":6,"author":"u1"},
      "9":{"id":"9","content":"c","createdTime":7,"updatedTime":8,"contentNeedTruncated":true,
           "author":{"id":"0","name":"匿名用户","urlToken":""}}}},
  "question":{"answers":{"42":{"ids":[
      {"type":"question_feed_card","targetType":"answer","target":"7"},
      {"type":"question_feed_card","targetType":"answer","target":8},
      {"type":"question_feed_card","targetType":"article","target":"1"}],
    "next":"http://h/api/v4/questions/42/feeds?offset=1","isDrained":false,"needForceLogin":false,
    "antiSpider":false}}}}})";

TEST(PageStateTest, QuestionPageBecomesAFeedsPage) {
  auto state = ReadQuestionPage(State(kPage), 42);
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_FALSE(state->anti_spider);
  EXPECT_FALSE(state->need_force_login);
  auto question = fetch::zhihu::ParseQuestion(state->question);
  ASSERT_TRUE(question.ok()) << question.status().ToString();
  EXPECT_EQ(question->id, 42u);
  EXPECT_EQ(question->title, "T");
  EXPECT_EQ(question->answer_count, 3);
  EXPECT_EQ(question->created_time, 100);
  EXPECT_EQ(question->updated_time, 200);
  EXPECT_TRUE(question->show_author);
  EXPECT_EQ(question->author.url_token, "asker");

  fetch::zhihu::ListingWalk walk(/*feeds=*/true, {});
  ASSERT_TRUE(walk.Admit("page"));
  ASSERT_TRUE(walk.TakeBody(state->listing, 200));
  EXPECT_EQ(walk.next_url(), "http://h/api/v4/questions/42/feeds?offset=1");
  ASSERT_EQ(walk.answers().size(), 2u);
  const model::Answer& a = walk.answers()[0];
  EXPECT_EQ(a.id, 7u);
  EXPECT_EQ(a.content_html, "<p>a</script></p>");
  EXPECT_EQ(a.created_time, 1);
  EXPECT_EQ(a.updated_time, 2);
  EXPECT_EQ(a.voteup_count, 3);
  EXPECT_EQ(a.comment_count, 4);
  EXPECT_EQ(a.author.url_token, "n");
  EXPECT_EQ(walk.answers()[1].author.name, "Ref");  // a reference into entities.users
}

TEST(PageStateTest, DrainedLoginWallAndAntiSpider) {
  Json j = State(kPage);
  auto& listing = j["initialState"]["question"]["answers"]["42"];
  listing["isDrained"] = true;
  listing["needForceLogin"] = true;
  listing["antiSpider"] = true;
  listing["next"] = "";
  auto state = ReadQuestionPage(j, 42);
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->need_force_login);
  EXPECT_TRUE(state->anti_spider);
  EXPECT_TRUE(state->listing["paging"]["is_end"].get<bool>());
  EXPECT_FALSE(state->listing["paging"].contains("next"));
}

TEST(PageStateTest, TruncatedAnswerIsALoginWall) {
  Json j = State(kPage);
  j["initialState"]["question"]["answers"]["42"]["ids"].push_back(
      {{"type", "question_feed_card"}, {"targetType", "answer"}, {"target", "9"}});
  auto state = ReadQuestionPage(j, 42);
  ASSERT_TRUE(state.ok());
  fetch::zhihu::ListingWalk walk(true, {});
  ASSERT_TRUE(walk.Admit("page"));
  EXPECT_FALSE(walk.TakeBody(state->listing, 200));
  ASSERT_TRUE(walk.failure());
  EXPECT_EQ(walk.failure()->outcome, model::Outcome::kAuthRequired);
  EXPECT_EQ(walk.answers().size(), 2u);
}

TEST(PageStateTest, BrokenStatesNameWhatIsWrong) {
  auto missing = ReadQuestionPage(State(R"({"initialState":{}})"), 42);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("question.answers[42]"), std::string::npos);
  Json j = State(kPage);
  j["initialState"]["question"]["answers"]["42"]["ids"][0]["target"] = "12345";
  auto no_entity = ReadQuestionPage(j, 42);
  ASSERT_FALSE(no_entity.ok());
  EXPECT_NE(no_entity.status().message().find("'12345'"), std::string::npos);
  j = State(kPage);
  j["initialState"]["question"]["answers"]["42"].erase("isDrained");
  EXPECT_FALSE(ReadQuestionPage(j, 42).ok());
  EXPECT_FALSE(ReadQuestionPage(State("[1]"), 42).ok());
}

TEST(PageStateTest, FindInitialData) {
  EXPECT_EQ(FindInitialData(R"(<html><script id="js-initialData" type="text/json">{"a":1}</script>)"), "{\"a\":1}");
  EXPECT_EQ(FindInitialData(R"(<SCRIPT type="text/json" id='js-initialData'>{}</Script>)"), "{}");
  EXPECT_EQ(FindInitialData(R"(<p>js-initialData</p><script id="js-initialData">x</script>)"), "x");
  EXPECT_FALSE(FindInitialData(R"(<div id="js-initialData">x</div>)"));
  EXPECT_FALSE(FindInitialData(R"(<script id="js-initialData">never closed)"));
  EXPECT_FALSE(FindInitialData(""));
}

TEST(PageStateTest, SnakeCase) {
  EXPECT_EQ(SnakeCase("createdTime"), "created_time");
  EXPECT_EQ(SnakeCase("urlToken"), "url_token");
  EXPECT_EQ(SnakeCase("content_need_truncated"), "content_need_truncated");
  EXPECT_EQ(SnakeCase("id"), "id");
}

TEST(PageStateTest, HotListAndAnswers) {
  Json j = State(R"({"initialState":{"topstory":{"hotList":[
    {"cardId":"Q_123","target":{"titleArea":{"text":"One"},"metricsArea":{"text":"9 万热度"}}},
    {"cardId":"T_5","target":{"link":{"url":"https://www.zhihu.com/question/456?x=1"},"titleArea":{"text":"Two"}}},
    {"cardId":"A_9","target":{}}, 7]},
    "entities":{"answers":{"77":{"id":"77"}}}}})");
  auto hot = ReadHotList(j);
  ASSERT_TRUE(hot.ok());
  ASSERT_EQ(hot->size(), 2u);
  EXPECT_EQ((*hot)[0].question_id, 123u);
  EXPECT_EQ((*hot)[0].title, "One");
  EXPECT_EQ((*hot)[0].heat, "9 万热度");
  EXPECT_EQ((*hot)[1].question_id, 456u);
  EXPECT_TRUE(HasAnswer(j, 77));
  EXPECT_FALSE(HasAnswer(j, 78));
  EXPECT_FALSE(ReadHotList(State("{}")).ok());
}

}  // namespace
}  // namespace archivist::browser
