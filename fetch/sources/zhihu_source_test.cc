// ZhihuSource against an in-process fake of Zhihu's API (FakeHttpClient with a handler).
// Every fault must give its own outcome with its error fields, and never `complete`.
#include "fetch/sources/zhihu_source.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <map>

#include "base/fake_clock.h"
#include "fetch/fake_http_client.h"

namespace archivist::fetch {
namespace {

using Json = nlohmann::json;
using model::Outcome;

constexpr uint64_t kQid = 42;
const std::string kBase = "https://z.test";

Json MakeAnswer(Json id, int i) {
  return {{"id", id}, {"type", "answer"},
          {"author", {{"id", "m" + std::to_string(i)}, {"name", "user " + std::to_string(i)},
                      {"url_token", "u" + std::to_string(i)}}},
          {"created_time", 1700000000 + i}, {"updated_time", 1700000100 + i},
          {"voteup_count", i}, {"comment_count", 2 * i},
          {"content", "<p>answer " + std::to_string(i) + "</p>"}, {"content_need_truncated", false}};
}

int64_t QueryInt(const std::string& url, const std::string& name, int64_t fallback) {
  const size_t at = url.find(name + "=");
  if (at == std::string::npos) return fallback;
  int64_t v = fallback;
  std::from_chars(url.data() + at + name.size() + 1, url.data() + url.size(), v);
  return v;
}

// A fake Zhihu serving `answers` for question kQid. Pages are 1-based; `overrides` replace a
// (route, page) response; `tweak` edits a page body before it is sent.
struct FakeZhihu {
  std::vector<Json> answers;
  std::map<std::pair<std::string, int>, HttpResponse> overrides;
  std::function<void(const std::string& route, int page, Json& body)> tweak;
  std::optional<HttpResponse> question;

  HttpResponse operator()(const HttpRequest& req) {
    const std::string& url = req.url;
    const std::string qpath = kBase + "/api/v4/questions/" + std::to_string(kQid);
    if (url == qpath) {
      if (question) return *question;
      return JsonResponse(200, Json{{"id", std::to_string(kQid)}, {"title", "Q?"}, {"created", 1600000000},
                                    {"updated_time", 1600000001}, {"answer_count", answers.size()}}.dump());
    }
    std::string route;
    if (url.starts_with(qpath + "/feeds?")) route = "feeds";
    else if (url.starts_with(qpath + "/answers?")) route = "answers";
    else return JsonResponse(404, R"({"error":{"code":404,"message":"no route"}})");
    const int64_t limit = QueryInt(url, "limit", 20), offset = QueryInt(url, "offset", 0);
    const int page = static_cast<int>(offset / limit + 1);
    if (auto it = overrides.find({route, page}); it != overrides.end()) return it->second;
    Json data = Json::array();
    for (int64_t i = offset; i < std::min<int64_t>(answers.size(), offset + limit); ++i) {
      if (route == "feeds") {
        data.push_back({{"type", "question_feed_card"}, {"target_type", "answer"}, {"target", answers[i]}});
      } else {
        data.push_back(answers[i]);
      }
    }
    const bool end = offset + limit >= static_cast<int64_t>(answers.size());
    Json body = {{"data", data},
                 {"paging", {{"is_end", end}, {"next", qpath + "/" + route + "?limit=" + std::to_string(limit) +
                                                            "&offset=" + std::to_string(offset + limit)}}}};
    if (tweak) tweak(route, page, body);
    return JsonResponse(200, body.dump());
  }
};

struct SourceRig {
  FakeClock clock;
  FakeZhihu zhihu;
  FakeHttpClient http;
  ZhihuOptions options;
  explicit SourceRig(int n = 5, int page_size = 2)
      : http(clock, [this](const HttpRequest& r) { return zhihu(r); }) {
    for (int i = 1; i <= n; ++i) zhihu.answers.push_back(MakeAnswer(std::to_string(1000 + i), i));
    options.base_url = kBase + "/";
    options.page_size = page_size;
  }
  model::Snapshot Fetch() { return ZhihuSource(http, clock, options).FetchQuestion(kQid); }
};

std::vector<uint64_t> Ids(const model::Snapshot& s) {
  std::vector<uint64_t> ids;
  for (const auto& a : s.answers) ids.push_back(a.id);
  return ids;
}

void ExpectError(const model::Snapshot& s, Outcome o, int status, const std::string& code, int page,
                 const std::string& message_part) {
  EXPECT_FALSE(s.complete());
  EXPECT_EQ(OutcomeName(s.outcome), OutcomeName(o));
  EXPECT_EQ(s.error.http_status, status);
  EXPECT_EQ(s.error.code, code);
  EXPECT_EQ(s.error.page, page);
  EXPECT_NE(s.error.message.find(message_part), std::string::npos) << s.error.message;
}

TEST(ZhihuSourceTest, CompleteListingFollowsNextUntilIsEnd) {
  SourceRig rig(5, 2);
  model::Snapshot s = rig.Fetch();
  ASSERT_TRUE(s.complete()) << s.error.message;
  EXPECT_EQ(s.pages, 3);
  EXPECT_EQ(Ids(s), (std::vector<uint64_t>{1001, 1002, 1003, 1004, 1005}));
  EXPECT_EQ(s.question.title, "Q?");
  EXPECT_EQ(s.question.created_time, 1600000000);
  const model::Answer& a = s.answers[2];
  EXPECT_EQ(a.author.name, "user 3");
  EXPECT_EQ(a.author.url_token, "u3");
  EXPECT_FALSE(a.author.anonymous);
  EXPECT_EQ(a.created_time, 1700000003);
  EXPECT_EQ(a.updated_time, 1700000103);
  EXPECT_EQ(a.voteup_count, 3);
  EXPECT_EQ(a.comment_count, 6);
  EXPECT_EQ(a.content_html, "<p>answer 3</p>");
  // The base URL's trailing slash is dropped; the first page asks for the page size.
  const auto& rec = rig.http.records();
  EXPECT_EQ(rec[0].request.url, kBase + "/api/v4/questions/42");
  EXPECT_NE(rec[1].request.url.find("/feeds?include="), std::string::npos);
  EXPECT_NE(rec[1].request.url.find("&limit=2&offset=0&order=default&platform=desktop"), std::string::npos);
  EXPECT_EQ(rec[0].batch, rec[1].batch);  // question and first page together
}

TEST(ZhihuSourceTest, IdsAre64BitFromStringsOrNumbersNeverDoubles) {
  SourceRig rig(0);
  rig.zhihu.answers = {MakeAnswer("1909560805764077000", 1), MakeAnswer(Json(18446744073709551615ull), 2),
                       MakeAnswer(Json(9007199254740993ull), 3)};
  model::Snapshot s = rig.Fetch();
  ASSERT_TRUE(s.complete());
  EXPECT_EQ(Ids(s), (std::vector<uint64_t>{1909560805764077000ull, 18446744073709551615ull, 9007199254740993ull}));

  rig.zhihu.answers = {MakeAnswer(Json(1.5e18), 1)};
  s = rig.Fetch();
  ExpectError(s, Outcome::kInvalidResponse, 200, "", 1, "'id' is not a 64-bit id");
}

TEST(ZhihuSourceTest, AnonymousAuthorsAndForeignCardsAndDuplicates) {
  SourceRig rig(3, 2);
  rig.zhihu.answers[1]["author"] = {{"id", "0"}, {"name", "匿名用户"}, {"url_token", ""}};
  rig.zhihu.tweak = [](const std::string&, int page, Json& body) {
    body["data"].insert(body["data"].begin(),
                        Json{{"type", "question_feed_card"}, {"target_type", "zvideo"}, {"target", {{"id", "7"}}}});
    if (page == 2) body["data"].push_back(Json{{"type", "question_feed_card"}, {"target_type", "answer"},
                                               {"target", MakeAnswer("1001", 1)}});  // repeated
  };
  model::Snapshot s = rig.Fetch();
  ASSERT_TRUE(s.complete()) << s.error.message;
  EXPECT_EQ(Ids(s), (std::vector<uint64_t>{1001, 1002, 1003}));
  EXPECT_TRUE(s.answers[1].author.anonymous);
  EXPECT_EQ(s.answers[1].author.name, "匿名用户");
}

TEST(ZhihuSourceTest, BlockedByStatusOrCodeKeepsEarlierPages) {
  SourceRig rig(6, 2);
  rig.zhihu.overrides[{"feeds", 2}] = JsonResponse(403, R"({"error":{"code":40362,"message":"您当前请求存在异常"}})");
  model::Snapshot s = rig.Fetch();
  ExpectError(s, Outcome::kBlocked, 403, "40362", 2, "您当前请求存在异常");
  EXPECT_EQ(Ids(s), (std::vector<uint64_t>{1001, 1002}));

  for (const char* code : {"10003", "40352"}) {
    rig.zhihu.overrides[{"feeds", 2}] = JsonResponse(200, std::string(R"({"error":{"code":)") + code + R"(,"message":"m"}})");
    s = rig.Fetch();
    ExpectError(s, Outcome::kBlocked, 200, code, 2, "m");
  }
}

TEST(ZhihuSourceTest, CaptchaRedirectIsBlocked) {
  SourceRig rig(4, 2);
  HttpResponse captcha;
  captcha.status = 200;
  captcha.body = "<html>captcha</html>";
  captcha.effective_url = kBase + "/account/unhuman?type=unhuman";
  rig.zhihu.overrides[{"feeds", 2}] = captcha;
  model::Snapshot s = rig.Fetch();
  ExpectError(s, Outcome::kBlocked, 200, "", 2, "/account/unhuman");
  EXPECT_EQ(s.answers.size(), 2u);
}

TEST(ZhihuSourceTest, UnauthorizedAndLoginWall) {
  SourceRig rig(6, 2);
  rig.zhihu.overrides[{"feeds", 1}] = JsonResponse(401, R"({"error":{"code":100,"message":"请求需要登录"}})");
  rig.options.answers_fallback = false;
  ExpectError(rig.Fetch(), Outcome::kAuthRequired, 401, "100", 1, "请求需要登录");

  rig.zhihu.overrides.clear();
  for (bool in_paging : {false, true}) {
    rig.zhihu.tweak = [in_paging](const std::string&, int page, Json& body) {
      if (page >= 2) (in_paging ? body["paging"] : body)["need_force_login"] = true;
    };
    model::Snapshot s = rig.Fetch();
    ExpectError(s, Outcome::kAuthRequired, 200, "", 2, "need_force_login");
    EXPECT_EQ(Ids(s), (std::vector<uint64_t>{1001, 1002}));  // page 2's items not taken
  }
}

TEST(ZhihuSourceTest, TruncatedContentIsALoginWallAndTheTruncatedAnswerIsDropped) {
  SourceRig rig(6, 2);
  rig.zhihu.answers[2]["content_need_truncated"] = true;
  rig.zhihu.answers[2]["content"] = "<p>登录后查看</p>";
  model::Snapshot s = rig.Fetch();
  ExpectError(s, Outcome::kAuthRequired, 200, "", 2, "content_need_truncated for answer 1003");
  EXPECT_EQ(Ids(s), (std::vector<uint64_t>{1001, 1002, 1004}));
}

TEST(ZhihuSourceTest, QuestionNotFoundStopsAtPageZero) {
  SourceRig rig(3, 2);
  rig.zhihu.question = JsonResponse(404, R"({"error":{"message":"问题不存在"}})");
  model::Snapshot s = rig.Fetch();
  ExpectError(s, Outcome::kNotFound, 404, "", 0, "问题不存在");
  EXPECT_TRUE(s.answers.empty());
  EXPECT_EQ(s.question.id, kQid);
}

TEST(ZhihuSourceTest, RateLimitedCarriesRetryAfter) {
  SourceRig rig(6, 2);
  rig.zhihu.overrides[{"feeds", 3}] = JsonResponse(429, "{}", {{"retry-after", "120"}});
  model::Snapshot s = rig.Fetch();
  ExpectError(s, Outcome::kRateLimited, 429, "", 3, "HTTP 429");
  EXPECT_EQ(s.retry_after_seconds, 120);
  EXPECT_EQ(s.answers.size(), 4u);
}

TEST(ZhihuSourceTest, TransientFailures) {
  SourceRig rig(6, 2);
  rig.zhihu.overrides[{"feeds", 2}] = JsonResponse(502, "<html>bad gateway</html>");
  ExpectError(rig.Fetch(), Outcome::kTransient, 502, "", 2, "HTTP 502");
  rig.zhihu.overrides[{"feeds", 2}] = TransportFailure(TransportError::kTimeout, "Operation timed out");
  ExpectError(rig.Fetch(), Outcome::kTransient, 0, "", 2, "timeout: Operation timed out");
  rig.zhihu.overrides[{"feeds", 2}] = TransportFailure(TransportError::kReset, "Connection reset");
  ExpectError(rig.Fetch(), Outcome::kTransient, 0, "", 2, "reset");
  rig.zhihu.overrides[{"feeds", 2}] = TransportFailure(TransportError::kTruncated, "cut");
  ExpectError(rig.Fetch(), Outcome::kTransient, 0, "", 2, "truncated");
}

TEST(ZhihuSourceTest, InvalidResponses) {
  SourceRig rig(6, 2);
  rig.zhihu.overrides[{"feeds", 2}] = JsonResponse(200, R"({"data":[{"id": )");
  ExpectError(rig.Fetch(), Outcome::kInvalidResponse, 200, "", 2, "not valid JSON");
  rig.zhihu.overrides[{"feeds", 2}] = JsonResponse(200, R"({"data":[]})");
  ExpectError(rig.Fetch(), Outcome::kInvalidResponse, 200, "", 2, "'paging' is missing");
  rig.zhihu.overrides[{"feeds", 2}] = JsonResponse(200, R"({"data":[],"paging":{"is_end":false}})");
  ExpectError(rig.Fetch(), Outcome::kInvalidResponse, 200, "", 2, "'paging.next' is missing");
  rig.zhihu.overrides.clear();
  rig.zhihu.answers[3].erase("content");
  ExpectError(rig.Fetch(), Outcome::kInvalidResponse, 200, "", 2, "answer 1004 field 'content' is missing");
  rig.zhihu.answers[3]["content"] = "x";
  rig.zhihu.answers[3]["created_time"] = "yesterday";
  ExpectError(rig.Fetch(), Outcome::kInvalidResponse, 200, "", 2, "'created_time' is not an integer");
}

TEST(ZhihuSourceTest, TooLarge) {
  SourceRig rig(6, 2);
  rig.zhihu.overrides[{"feeds", 3}] = TransportFailure(TransportError::kTooLarge, "body exceeds the cap");
  model::Snapshot s = rig.Fetch();
  ExpectError(s, Outcome::kTooLarge, 0, "", 3, "body exceeds the cap");
  EXPECT_EQ(s.answers.size(), 4u);
}

TEST(ZhihuSourceTest, EndlessNextLoopStopsPartial) {
  SourceRig rig(6, 2);
  rig.zhihu.tweak = [](const std::string&, int page, Json& body) {
    if (page == 2) {  // page 2 points at itself forever
      body["paging"]["is_end"] = false;
      body["paging"]["next"] = kBase + "/api/v4/questions/42/feeds?limit=2&offset=2";
    }
  };
  model::Snapshot s = rig.Fetch();
  ExpectError(s, Outcome::kPartial, 0, "", 2, "pagination loop");
  EXPECT_EQ(s.answers.size(), 4u);
  EXPECT_EQ(rig.http.records().size(), 3u);  // question + pages 1, 2
}

TEST(ZhihuSourceTest, EndlessEmptyPagesStopAfterStalling) {
  SourceRig rig(4, 2);
  rig.zhihu.tweak = [](const std::string&, int, Json& body) { body["paging"]["is_end"] = false; };
  model::Snapshot s = rig.Fetch();
  ExpectError(s, Outcome::kPartial, 200, "", 5, "3 consecutive pages added no new answer");
  EXPECT_EQ(s.answers.size(), 4u);
  EXPECT_EQ(s.pages, 5);
}

TEST(ZhihuSourceTest, MaxPagesBoundsAnyListing) {
  SourceRig rig(30, 1);
  rig.options.max_pages = 10;
  model::Snapshot s = rig.Fetch();
  ExpectError(s, Outcome::kPartial, 0, "", 10, "did not end after 10 pages");
  EXPECT_EQ(s.answers.size(), 10u);
}

TEST(ZhihuSourceTest, FeedsGoneFallsBackToAnswersListing) {
  SourceRig rig(5, 2);
  rig.zhihu.overrides[{"feeds", 1}] = JsonResponse(404, R"({"error":{"message":"gone"}})");
  model::Snapshot s = rig.Fetch();
  ASSERT_TRUE(s.complete()) << s.error.message;
  EXPECT_EQ(Ids(s), (std::vector<uint64_t>{1001, 1002, 1003, 1004, 1005}));
  const std::string first_answers_url = rig.http.records()[2].request.url;  // after q, feeds p1
  EXPECT_NE(first_answers_url.find("/answers?"), std::string::npos);
  EXPECT_NE(first_answers_url.find("sort_by=default"), std::string::npos);

  rig.zhihu.overrides[{"answers", 2}] = JsonResponse(403, R"({"error":{"code":40362,"message":"x"}})");
  s = rig.Fetch();
  ExpectError(s, Outcome::kBlocked, 403, "40362", 2, "after /feeds failed: gone");
}

TEST(ZhihuSourceTest, ProbeAnswer) {
  FakeClock clock;
  FakeHttpClient http(clock);
  ZhihuSource source(http, clock, ZhihuOptions{.base_url = kBase});
  http.Route(kBase + "/api/v4/answers/1", {JsonResponse(200, MakeAnswer("1", 1).dump())});
  http.Route(kBase + "/api/v4/answers/2", {JsonResponse(404, R"({"error":{"code":4041,"message":"该回答已被删除"}})")});
  http.Route(kBase + "/api/v4/answers/3", {JsonResponse(200, R"({"error":{"code":4041,"message":"deleted"}})")});
  http.Route(kBase + "/api/v4/answers/4", {JsonResponse(403, R"({"error":{"code":40362,"message":"blocked"}})")});
  http.Route(kBase + "/api/v4/answers/5", {TransportFailure(TransportError::kTimeout)});
  http.Route(kBase + "/api/v4/answers/6", {JsonResponse(200, MakeAnswer("7", 1).dump())});
  model::FetchError err;
  EXPECT_EQ(source.ProbeAnswer(1), model::ProbeResult::kExists);
  EXPECT_EQ(source.ProbeAnswer(2, &err), model::ProbeResult::kGone);
  EXPECT_EQ(err.code, "4041");
  EXPECT_EQ(source.ProbeAnswer(3), model::ProbeResult::kGone);
  EXPECT_EQ(source.ProbeAnswer(4, &err), model::ProbeResult::kUnknown);
  EXPECT_EQ(err.code, "40362");
  EXPECT_EQ(source.ProbeAnswer(5), model::ProbeResult::kUnknown);
  EXPECT_EQ(source.ProbeAnswer(6, &err), model::ProbeResult::kUnknown);
  EXPECT_NE(err.message.find("got 7"), std::string::npos);
}

TEST(ZhihuSourceTest, HotList) {
  FakeClock clock;
  FakeHttpClient http(clock);
  ZhihuSource source(http, clock, ZhihuOptions{.base_url = kBase});
  http.Route(kBase + "/api/v3/feed/topstory/hot-lists/total?limit=50",
             {JsonResponse(200, R"({"data":[
                {"target":{"id":1909560805764077000,"title":"A"},"detail_text":"1234 万热度"},
                {"target":{"id":"19550225","title":"B"},"detail_text":"5 万热度"},
                {"target":{"title":"an ad without id"}}]})"),
              JsonResponse(403, R"({"error":{"code":40362,"message":"blocked"}})")});
  auto items = source.HotList();
  ASSERT_TRUE(items.ok()) << items.status().ToString();
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0].question_id, 1909560805764077000ull);
  EXPECT_EQ((*items)[0].heat, "1234 万热度");
  EXPECT_EQ((*items)[1].question_id, 19550225u);
  EXPECT_EQ((*items)[1].title, "B");
  model::FetchError err;
  auto blocked = source.HotList(&err);
  ASSERT_FALSE(blocked.ok());
  EXPECT_NE(blocked.status().message().find("blocked"), std::string::npos);
  EXPECT_EQ(err.http_status, 403);
}

TEST(ZhihuSourceTest, ValidateOptions) {
  EXPECT_TRUE(ZhihuSource::ValidateOptions(ZhihuOptions{}).ok());
  ZhihuOptions o;
  o.page_size = 0;
  EXPECT_NE(ZhihuSource::ValidateOptions(o).message().find("page size 0"), std::string::npos);
  o = ZhihuOptions{};
  o.base_url = "ftp://x";
  EXPECT_NE(ZhihuSource::ValidateOptions(o).message().find("'ftp://x'"), std::string::npos);
}

}  // namespace
}  // namespace archivist::fetch
