// ZhihuSource against a hostile server: bodies built to crash, flood or mislead it. Each test
// is the regression test of one defect class; the fake serves raw bodies so that nothing in
// the test itself has to build (or dump) the hostile value.
#include <gtest/gtest.h>

#include <string>

#include "fetch/sources/zhihu_json.h"
#include "fetch/sources/zhihu_test_rig.h"

namespace archivist::fetch {
namespace {

using namespace archivist::fetch::testing;  // NOLINT: the rig is the test's vocabulary

std::string Nested(const std::string& inner, int depth) {
  return std::string(depth, '[') + inner + std::string(depth, ']');
}

// One /feeds page holding one answer card whose `field` is the raw JSON `value`.
std::string PageWith(const std::string& field, const std::string& value) {
  Json a = MakeAnswer("1001", 1);
  a[field] = "@@";
  Json page = {{"data", {{{"type", "question_feed_card"}, {"target_type", "answer"}, {"target", a}}}},
               {"paging", {{"is_end", true}, {"next", ""}}}};
  std::string text = page.dump();
  text.replace(text.find("\"@@\""), 4, value);
  return text;
}

TEST(ZhihuHostileTest, DepthScanCountsOnlyStructureOutsideStrings) {
  EXPECT_EQ(zhihu::DepthExceededAt("[[1]]", 2), std::string_view::npos);
  EXPECT_EQ(zhihu::DepthExceededAt("[[[1]]]", 2), 2u);
  EXPECT_EQ(zhihu::DepthExceededAt(R"({"a":{"b":[{}]}})", 4), std::string_view::npos);
  EXPECT_EQ(zhihu::DepthExceededAt(R"({"a":{"b":[{}]}})", 3), 11u);
  EXPECT_EQ(zhihu::DepthExceededAt(R"(["[[[[", "\"[[[["])", 1), std::string_view::npos);
  EXPECT_EQ(zhihu::DepthExceededAt(R"(["\\", [[1]]])", 2), 8u);  // the string ended at \\"
  EXPECT_EQ(zhihu::DepthExceededAt(Nested("1", 64), 64), std::string_view::npos);
  EXPECT_EQ(zhihu::DepthExceededAt(Nested("1", 65), 64), 64u);
}

TEST(ZhihuHostileTest, JsonAtTheDepthLimitIsParsedBeyondItRefused) {
  EXPECT_TRUE(zhihu::ParseJson(Nested("1", zhihu::kMaxJsonDepth)).ok());
  Result<Json> deep = zhihu::ParseJson(Nested("1", 70'000));
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.status().message().find("nest deeper than 64 levels at byte 64"), std::string::npos)
      << deep.status().message();
}

TEST(ZhihuHostileTest, DeeplyNestedAnswerFieldsAreInvalidResponses) {
  for (const std::string field : {"id", "created_time", "author", "content"}) {
    SourceRig rig(3, 5);
    rig.options.answers_fallback = false;
    rig.zhihu.overrides[{"feeds", 1}] = JsonResponse(200, PageWith(field, Nested("1", 70'000)));
    model::Snapshot s = rig.Fetch();
    ExpectError(s, Outcome::kInvalidResponse, 200, "", 1, "nest deeper than 64 levels");
    EXPECT_LT(s.error.message.size(), 200u) << field;
  }
}

TEST(ZhihuHostileTest, ShallowBadValuesAreDescribedNotDumped) {
  SourceRig rig(3, 5);
  rig.options.answers_fallback = false;
  rig.zhihu.overrides[{"feeds", 1}] = JsonResponse(200, PageWith("id", Nested("1", 60)));
  ExpectError(rig.Fetch(), Outcome::kInvalidResponse, 200, "", 1,
              "'id' is not a 64-bit id: an array of 1 item");
  rig.zhihu.overrides[{"feeds", 1}] = JsonResponse(200, PageWith("created_time", R"({"a":1,"b":2})"));
  ExpectError(rig.Fetch(), Outcome::kInvalidResponse, 200, "", 1,
              "'created_time' is not an integer: an object with 2 keys");
}

TEST(ZhihuHostileTest, DeeplyNestedQuestionProbeAndHotListAreRefused) {
  SourceRig rig(3, 5);
  rig.zhihu.question = JsonResponse(200, "{\"id\":" + Nested("42", 70'000) + "}");
  ExpectError(rig.Fetch(), Outcome::kInvalidResponse, 200, "", 0, "nest deeper than 64 levels");

  FakeClock clock;
  FakeHttpClient http(clock);
  ZhihuSource source(http, clock, ZhihuOptions{.base_url = kBase});
  http.Route(kBase + "/api/v4/answers/1", {JsonResponse(200, Nested("{}", 70'000))});
  model::FetchError err;
  EXPECT_EQ(source.ProbeAnswer(1, &err), model::ProbeResult::kUnknown);
  EXPECT_NE(err.message.find("nest deeper than 64 levels"), std::string::npos) << err.message;
  http.Route(kBase + "/api/v3/feed/topstory/hot-lists/total?limit=50",
             {JsonResponse(200, "{\"data\":" + Nested("", 70'000) + "}")});
  auto hot = source.HotList(&err);
  ASSERT_FALSE(hot.ok());
  EXPECT_NE(hot.status().message().find("nest deeper than 64 levels"), std::string::npos);
}

void ExpectBounded(const model::FetchError& e) {
  EXPECT_LE(e.message.size(), 1024u);
  EXPECT_LE(e.code.size(), 64u);
}

TEST(ZhihuHostileTest, AHugeBogusIdGivesABoundedMessage) {
  SourceRig rig(3, 5);  // both listings serve it: the fallback's message joins two errors
  rig.zhihu.answers[0]["id"] = std::string(20 << 20, 'x');
  model::Snapshot s = rig.Fetch();
  ExpectError(s, Outcome::kInvalidResponse, 200, "", 1, "'id' is not a 64-bit id: a string of 20971520 bytes");
  EXPECT_NE(s.error.message.find("after /feeds failed"), std::string::npos);
  ExpectBounded(s.error);
}

TEST(ZhihuHostileTest, HugeErrorObjectsAndUrlsAreBounded) {
  const std::string huge(1 << 20, 'y');
  SourceRig rig(3, 5);
  rig.zhihu.question = JsonResponse(500, Json{{"error", {{"code", huge}, {"message", huge}}}}.dump());
  model::Snapshot s = rig.Fetch();
  EXPECT_EQ(s.outcome, Outcome::kTransient);
  ExpectBounded(s.error);
  EXPECT_EQ(s.error.message.substr(0, 4), "yyyy");

  rig.zhihu.question.reset();
  HttpResponse captcha = JsonResponse(302, "");
  captcha.headers = {{"location", kBase + "/account/unhuman?x=" + huge}};
  rig.zhihu.overrides[{"feeds", 1}] = captcha;
  s = rig.Fetch();
  EXPECT_EQ(s.outcome, Outcome::kBlocked);
  ExpectBounded(s.error);

  rig.zhihu.overrides.clear();
  rig.zhihu.tweak = [&](const std::string&, int page, Json& body) {
    body["paging"] = {{"is_end", false}, {"next", kBase + "/api/v4/questions/42/feeds?x=" + huge}};
    (void)page;
  };
  s = rig.Fetch();
  ExpectError(s, Outcome::kPartial, 0, "", 2, "pagination loop");
  ExpectBounded(s.error);
}

TEST(ZhihuHostileTest, ProbeAndHotListErrorsAreBounded) {
  const std::string huge(1 << 20, 'z');
  FakeClock clock;
  FakeHttpClient http(clock);
  ZhihuSource source(http, clock, ZhihuOptions{.base_url = kBase});
  http.Route(kBase + "/api/v4/answers/1", {JsonResponse(200, Json{{"id", huge}}.dump())});
  http.Route(kBase + "/api/v4/answers/2", {JsonResponse(403, Json{{"error", {{"code", huge}, {"message", huge}}}}.dump())});
  model::FetchError err;
  EXPECT_EQ(source.ProbeAnswer(1, &err), model::ProbeResult::kUnknown);
  ExpectBounded(err);
  EXPECT_EQ(source.ProbeAnswer(2, &err), model::ProbeResult::kUnknown);
  ExpectBounded(err);
  http.Route(kBase + "/api/v3/feed/topstory/hot-lists/total?limit=50",
             {JsonResponse(429, Json{{"error", {{"code", huge}, {"message", huge}}}}.dump())});
  auto hot = source.HotList(&err);
  ASSERT_FALSE(hot.ok());
  ExpectBounded(err);
  EXPECT_LE(hot.status().message().size(), 1100u);
}

Json Card(const std::string& type, const std::string& target_type, Json target) {
  return {{"type", type}, {"target_type", target_type}, {"target", std::move(target)}};
}

TEST(ZhihuHostileTest, APageOfUnknownCardsIsInvalidNotAnEmptyListing) {
  SourceRig rig(3, 5);
  rig.options.answers_fallback = false;
  rig.zhihu.tweak = [](const std::string& route, int, Json& body) {
    if (route != "feeds") return;
    for (Json& item : body["data"]) item = Card("zvideo_card", "zvideo", {{"id", 7}});
  };
  model::Snapshot s = rig.Fetch();
  ExpectError(s, Outcome::kInvalidResponse, 200, "", 1,
              "none of the page's 3 items is an answer; item 0 is an object with keys "
              "[target, target_type, type], type \"zvideo_card\", target_type \"zvideo\", "
              "target an object with 1 key");
  EXPECT_TRUE(s.answers.empty());
  // With the fallback, the /answers listing is read instead (and is complete here).
  rig.options.answers_fallback = true;
  s = rig.Fetch();
  ASSERT_TRUE(s.complete()) << s.error.message;
  EXPECT_EQ(Ids(s), (std::vector<uint64_t>{1001, 1002, 1003}));
}

TEST(ZhihuHostileTest, AChangedItemShapeIsInvalidOnBothListings) {
  SourceRig rig(3, 5);
  rig.zhihu.tweak = [](const std::string& route, int, Json& body) {
    for (Json& item : body["data"]) {
      item = route == "feeds" ? Card("question_feed_card", "answer", "1001")  // a bare id
                              : Json{{"type", "answer_v2"}, {"answer", item}};
    }
  };
  model::Snapshot s = rig.Fetch();
  ExpectError(s, Outcome::kInvalidResponse, 200, "", 1, "none of the page's 3 items is an answer");
  EXPECT_NE(s.error.message.find("type \"answer_v2\""), std::string::npos);
  EXPECT_NE(s.error.message.find("target \"1001\""), std::string::npos)
      << s.error.message;
}

TEST(ZhihuHostileTest, UnknownCardsAmongAnswersAreSkippedAndCounted) {
  SourceRig rig(4, 2);
  rig.zhihu.tweak = [](const std::string&, int page, Json& body) {
    body["data"].push_back(Card("zvideo_card", "zvideo", {{"id", 7}}));
    if (page == 1) body["data"].push_back(Json{{"type", 5}, {"target_type", Json::array()}});
    body["data"].push_back(Json("not even an object"));
  };
  model::Snapshot s = rig.Fetch();
  ASSERT_TRUE(s.complete()) << s.error.message;
  EXPECT_EQ(Ids(s), (std::vector<uint64_t>{1001, 1002, 1003, 1004}));
  EXPECT_EQ(s.skipped_items, 5);
}

TEST(ZhihuHostileTest, AnEmptyLastPageIsStillAnEnd) {
  SourceRig rig(0, 5);  // a question without answers
  model::Snapshot s = rig.Fetch();
  ASSERT_TRUE(s.complete()) << s.error.message;
  EXPECT_TRUE(s.answers.empty());
  EXPECT_EQ(s.skipped_items, 0);
}

TEST(ZhihuHostileTest, HotListOfNonQuestionsIsInvalidAndOddTypesDoNotThrow) {
  FakeClock clock;
  FakeHttpClient http(clock);
  ZhihuSource source(http, clock, ZhihuOptions{.base_url = kBase});
  const std::string url = kBase + "/api/v3/feed/topstory/hot-lists/total?limit=50";
  http.Route(url, {JsonResponse(200, R"({"data":[{"card":"ad"},{"target":{"title":"x"}}]})"),
                   JsonResponse(200, R"({"data":[{"target":{"id":5,"title":7},"detail_text":[]}]})"),
                   JsonResponse(200, R"({"data":[]})")});
  model::FetchError err;
  auto hot = source.HotList(&err);
  ASSERT_FALSE(hot.ok());
  EXPECT_NE(hot.status().message().find("invalid_response: hot list: none of its 2 items is a "
                                        "question; item 0 is an object with keys [card]"),
            std::string::npos)
      << hot.status().message();
  hot = source.HotList(&err);
  ASSERT_TRUE(hot.ok()) << hot.status().ToString();
  ASSERT_EQ(hot->size(), 1u);
  EXPECT_EQ((*hot)[0].question_id, 5u);
  EXPECT_EQ((*hot)[0].title, "");
  hot = source.HotList(&err);
  ASSERT_TRUE(hot.ok());
  EXPECT_TRUE(hot->empty());
}

TEST(ZhihuHostileTest, NextLinksAreFollowedOnlyWithinTheBaseOrigin) {
  for (const std::string next : {"https://evil.test/api/v4/questions/42/feeds?limit=2&offset=2",
                                 "http://169.254.169.254/latest/meta-data/",
                                 "https://z.test:8443/api/v4/questions/42/feeds?limit=2&offset=2",
                                 "https://user@z.test/api/v4/questions/42/feeds?limit=2&offset=2",
                                 "/api/v4/questions/42/feeds?limit=2&offset=2"}) {
    SourceRig rig(4, 2);
    rig.zhihu.tweak = [&](const std::string&, int page, Json& body) {
      if (page == 1) body["paging"]["next"] = next;
    };
    model::Snapshot s = rig.Fetch();
    ExpectError(s, Outcome::kInvalidResponse, 200, "", 1, "'paging.next' leaves https://z.test: " + next);
    EXPECT_EQ(Ids(s), (std::vector<uint64_t>{1001, 1002}));
    // The question, page 1 of /feeds and of the /answers fallback; nothing off the base.
    EXPECT_EQ(rig.http.records().size(), 3u) << next;
    for (const auto& r : rig.http.records()) EXPECT_TRUE(r.request.url.starts_with(kBase + "/api/"));
  }
}

TEST(ZhihuHostileTest, AnHttpNextOnTheHttpsHostIsTakenOverHttps) {
  SourceRig rig(4, 2);
  rig.zhihu.tweak = [&](const std::string&, int page, Json& body) {
    if (page == 1) body["paging"]["next"] = "http://z.test/api/v4/questions/42/feeds?limit=2&offset=2";
  };
  model::Snapshot s = rig.Fetch();
  ASSERT_TRUE(s.complete()) << s.error.message;
  EXPECT_EQ(rig.http.records()[2].request.url, kBase + "/api/v4/questions/42/feeds?limit=2&offset=2");
}

TEST(ZhihuHostileTest, HugeTitlesAndNamesAreBoundedAsTheyAreRead) {
  SourceRig rig(2, 5);
  const std::string huge(4 << 20, 'T');
  rig.zhihu.question = JsonResponse(200, Json{{"id", "42"}, {"title", huge}}.dump());
  rig.zhihu.answers[0]["author"]["name"] = huge;
  rig.zhihu.answers[0]["author"]["url_token"] = huge;
  model::Snapshot s = rig.Fetch();
  ASSERT_TRUE(s.complete()) << s.error.message;
  EXPECT_LE(s.question.title.size(), 1024u);
  EXPECT_EQ(s.question.title.substr(0, 4), "TTTT");
  EXPECT_LE(s.answers[0].author.name.size(), 256u);
  EXPECT_LE(s.answers[0].author.url_token.size(), 256u);
  EXPECT_EQ(s.answers[1].author.name, "user 2");  // ordinary names are untouched
}

}  // namespace
}  // namespace archivist::fetch
