// Zhihu question and answer references: what a person pastes, turned into ids.
#ifndef ARCHIVIST_FETCH_SOURCES_ZHIHU_URL_H_
#define ARCHIVIST_FETCH_SOURCES_ZHIHU_URL_H_

#include <optional>
#include <string_view>

#include "base/status.h"
#include "model/model.h"

namespace archivist::fetch {

// Accepts a bare id ("19550225"), or a question URL in any of the forms people copy:
//   https://www.zhihu.com/question/19550225
//   https://zhihu.com/question/19550225/answer/1234567/   (the answer part is ignored)
//   http://www.zhihu.com/question/19550225?utm_source=x#y
//   www.zhihu.com/question/19550225                       (no scheme)
// Ids are unsigned 64-bit, never 0. Anything else fails with kInvalidArgument naming the
// text and what is wrong; a column article (zhuanlan.zhihu.com/p/…) and an answer URL
// without its question (zhihu.com/answer/<id>) are refused saying so.
Result<model::QuestionId> ParseQuestionRef(std::string_view text);

// An answer reference: the answer's id, and its question's when the text names it.
struct AnswerRef {
  model::AnswerId answer = 0;
  std::optional<model::QuestionId> question;
};

// Accepts a bare answer id ("1234567890") or an answer URL:
//   https://www.zhihu.com/question/19550225/answer/1234567890   (question and answer)
//   https://zhihu.com/answer/1234567890                          (answer only)
// with http or https or no scheme, with or without www., a trailing slash, a query or a
// fragment. A question URL without an answer, a column article (zhuanlan.zhihu.com/p/…) and
// anything else fail with kInvalidArgument naming the text and what is wrong.
Result<AnswerRef> ParseAnswerRef(std::string_view text);

// A decimal uint64 (no sign, no spaces, no leading '+'); nullopt when not exactly that.
std::optional<uint64_t> ParseDecimalU64(std::string_view text);

}  // namespace archivist::fetch

#endif  // ARCHIVIST_FETCH_SOURCES_ZHIHU_URL_H_
