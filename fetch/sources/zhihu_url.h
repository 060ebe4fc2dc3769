// Zhihu question references: what a person pastes, turned into a question id.
#ifndef ARCHIVIST_FETCH_SOURCES_ZHIHU_URL_H_
#define ARCHIVIST_FETCH_SOURCES_ZHIHU_URL_H_

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
// text and what is wrong.
Result<model::QuestionId> ParseQuestionRef(std::string_view text);

// A decimal uint64 (no sign, no spaces, no leading '+'); nullopt when not exactly that.
std::optional<uint64_t> ParseDecimalU64(std::string_view text);

}  // namespace archivist::fetch

#endif  // ARCHIVIST_FETCH_SOURCES_ZHIHU_URL_H_
