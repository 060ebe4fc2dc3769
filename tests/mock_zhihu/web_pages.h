// The HTML pages of the mock's web mode and the state they carry, shaped like www.zhihu.com's:
// a page holds `<script id="js-initialData" type="text/json">` with `initialState` (camelCase
// entities keyed by id) and loads /static/app.js, which renders the answers and fetches the
// following /feeds pages as the reader scrolls (docs/fetch.md has the contract).
//
// Everything here is a pure function of its inputs; the dumps are borrowed for the call.
#ifndef ARCHIVIST_TESTS_MOCK_ZHIHU_WEB_PAGES_H_
#define ARCHIVIST_TESTS_MOCK_ZHIHU_WEB_PAGES_H_

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace mock_zhihu {

// Answers the question page renders itself; /feeds continues after them.
inline constexpr int64_t kSsrAnswers = 5;

// The text of an id that is a JSON string or integer ("" otherwise).
std::string IdText(const nlohmann::json& id);

// snake_case keys → camelCase, recursively (values untouched; depth bounded).
nlohmann::json ToCamel(const nlohmann::json& v, int depth = 0);

// JSON for a <script> element: every '<' written as \u003c, so no content can close the
// element or open a comment.
std::string ScriptJson(const nlohmann::json& v);

std::string HtmlEscape(std::string_view text);

// The opaque cursor of the answer at `index` of a question's listing (32 hex digits).
std::string FeedCursor(std::string_view qid, int64_t index);

// The absolute URL of a /feeds page as the question page and paging.next give it.
std::string FeedsUrl(const std::string& host, const std::string& qid, const std::string& cursor,
                     int64_t offset, int64_t limit, const std::string& session_id);

struct QuestionPageInput {
  std::string host;        // the request's Host, for the absolute `next`
  std::string qid;
  std::string session_id;  // constant over one walk
  const nlohmann::json* question = nullptr;  // question.json
  const nlohmann::json* answers = nullptr;   // answers.json, an array
  int64_t wall_after = -1;     // login wall after this many answers; < 0 = none
  bool endless = false;        // the listing never drains
  bool truncate_first = false; // the first answer is cut (contentNeedTruncated)
  bool never_load = false;     // reference a stylesheet the server never finishes
};

std::string QuestionPage(const QuestionPageInput& in);
// The single-answer page /question/<qid>/answer/<aid>.
std::string AnswerPage(const std::string& qid, const nlohmann::json& question,
                       const nlohmann::json& answer, bool never_load);
// `hot_list`: initialState.topstory.hotList.
std::string HotPage(const nlohmann::json& hot_list);
std::string NotFoundPage();
std::string SigninPage(const std::string& next);
std::string ErrorPage(int status, const std::string& message);

// /static/app.js with its signing key (web_app_js.cc).
std::string AppJs(const std::string& key);

}  // namespace mock_zhihu

#endif  // ARCHIVIST_TESTS_MOCK_ZHIHU_WEB_PAGES_H_
