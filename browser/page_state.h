// What archivist reads from a Zhihu web page: the server-rendered state in
// `<script id="js-initialData" type="text/json">`. Internal to browser/ (exposes nlohmann).
//
// The question page's state is turned into the shapes the HTTP backend reads, so that one set
// of rules (fetch/sources/zhihu_json, zhihu_listing) decides what an answer is and when a
// listing is complete:
//  - `initialState.question.answers[qid]` becomes a first listing page in the /feeds shape:
//    `ids[]` → `data[]` cards (`targetType` → `target_type`, the answer from
//    `initialState.entities.answers[target]`), `isDrained` → `paging.is_end`, `next` →
//    `paging.next`; `needForceLogin` is kept apart (need_force_login): the answers the page
//    shows are the ones before the wall, and are taken;
//  - entities (answers, their authors, the question) have their camelCase keys written in
//    snake_case (`createdTime` → `created_time`, `urlToken` → `url_token`); values are untouched,
//    so an answer's content is the very string the page was served.
//
// Thread-safety: pure functions.
#ifndef ARCHIVIST_BROWSER_PAGE_STATE_H_
#define ARCHIVIST_BROWSER_PAGE_STATE_H_

#include <optional>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "browser/cdp.h"
#include "model/model.h"

namespace archivist::browser {

// The text inside `<script id="js-initialData" …>…</script>` of `html`, or nullopt.
std::optional<std::string_view> FindInitialData(std::string_view html);

// "createdTime" → "created_time". Keys without capitals are unchanged.
std::string SnakeCase(std::string_view key);

struct QuestionPageState {
  Json question;  // entities.questions[qid] in snake_case, for zhihu::ParseQuestion
  Json listing;   // the first listing page in the /feeds shape, for zhihu::ListingWalk
  bool need_force_login = false;  // a login wall after the answers shown
  bool anti_spider = false;
};

// Reads the question page state of question `qid`. Fails (invalid argument, naming the field)
// when the state is not there or not of the expected shape, or when a listed answer has no
// entity.
Result<QuestionPageState> ReadQuestionPage(const Json& initial_data, model::QuestionId qid);

// Whether `initialState.entities.answers` holds answer `aid`.
bool HasAnswer(const Json& initial_data, model::AnswerId aid);

// `initialState.topstory.hotList[]`: cardId "Q_<qid>" (or a /question/<qid> link),
// target.titleArea.text, target.metricsArea.text. Cards without a question id are skipped.
Result<std::vector<model::HotItem>> ReadHotList(const Json& initial_data);

}  // namespace archivist::browser

#endif  // ARCHIVIST_BROWSER_PAGE_STATE_H_
