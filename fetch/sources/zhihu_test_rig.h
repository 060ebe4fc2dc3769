// A fake of Zhihu's API for ZhihuSource tests: FakeZhihu serves a question and its /feeds
// and /answers listings from a list of answer objects, with per-page overrides and a hook to
// edit a page; SourceRig wires it to a FakeHttpClient and a FakeClock.
#ifndef ARCHIVIST_FETCH_SOURCES_ZHIHU_TEST_RIG_H_
#define ARCHIVIST_FETCH_SOURCES_ZHIHU_TEST_RIG_H_

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/fake_clock.h"
#include "fetch/fake_http_client.h"
#include "fetch/sources/zhihu_source.h"

namespace archivist::fetch::testing {

using Json = nlohmann::json;
using model::Outcome;

inline constexpr uint64_t kQid = 42;
inline const std::string kBase = "https://z.test";

inline Json MakeAnswer(Json id, int i) {
  return {{"id", id}, {"type", "answer"},
          {"author", {{"id", "m" + std::to_string(i)}, {"name", "user " + std::to_string(i)},
                      {"url_token", "u" + std::to_string(i)}}},
          {"created_time", 1700000000 + i}, {"updated_time", 1700000100 + i},
          {"voteup_count", i}, {"comment_count", 2 * i},
          {"content", "<p>answer " + std::to_string(i) + "</p>"}, {"content_need_truncated", false}};
}

inline int64_t QueryInt(const std::string& url, const std::string& name, int64_t fallback) {
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

inline std::vector<uint64_t> Ids(const model::Snapshot& s) {
  std::vector<uint64_t> ids;
  for (const auto& a : s.answers) ids.push_back(a.id);
  return ids;
}

inline void ExpectError(const model::Snapshot& s, Outcome o, int status, const std::string& code, int page,
                 const std::string& message_part) {
  EXPECT_FALSE(s.complete());
  EXPECT_EQ(OutcomeName(s.outcome), OutcomeName(o));
  EXPECT_EQ(s.error.http_status, status);
  EXPECT_EQ(s.error.code, code);
  EXPECT_EQ(s.error.page, page);
  EXPECT_NE(s.error.message.find(message_part), std::string::npos) << s.error.message;
}

}  // namespace archivist::fetch::testing

#endif  // ARCHIVIST_FETCH_SOURCES_ZHIHU_TEST_RIG_H_
