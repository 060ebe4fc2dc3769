// ZhihuSource: one Zhihu question → one Snapshot that says honestly how complete it is.
//
// FetchQuestion asks `GET {base}/api/v4/questions/{qid}` for the question, and walks
// `GET {base}/api/v4/questions/{qid}/feeds?…` following `paging.next` verbatim until
// `paging.is_end`, keeping `question_feed_card` items whose target is an answer. When the
// first /feeds page is missing (404) or unreadable, it walks the older `/answers` listing
// instead. The Snapshot is kComplete only if pagination reached is_end, every page was
// fetched and parsed, no page said need_force_login and no answer had content_need_truncated.
// Anything else carries the outcome, the HTTP status, Zhihu's error code and message and the
// 1-based page that failed (0 = the question request), and keeps the answers it did get,
// in listing order, duplicates dropped. The full rules: docs/fetch.md.
//
// The source does no politeness or retries itself: give it a RetryingHttpClient for that.
//
// Thread-safety: one ZhihuSource per thread (it borrows one HttpClient, which is per thread).
// It holds no other state between calls.
#ifndef ARCHIVIST_FETCH_SOURCES_ZHIHU_SOURCE_H_
#define ARCHIVIST_FETCH_SOURCES_ZHIHU_SOURCE_H_

#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "fetch/http_client.h"
#include "fetch/sources/zhihu_url.h"
#include "model/model.h"

namespace archivist::fetch {

namespace zhihu {
class ListingWalk;
}

struct ZhihuOptions {
  std::string base_url = "https://www.zhihu.com";  // no trailing slash needed
  int page_size = 20;          // `limit` of the first listing page, 1..100
  int max_pages = 2000;        // a listing that has not ended by then is stopped (partial)
  int max_stalled_pages = 3;   // consecutive pages adding no new answer → stopped (partial)
  bool answers_fallback = true;
};

class ZhihuSource {
 public:
  // Borrows `http` and `clock` for its lifetime.
  ZhihuSource(HttpClient& http, Clock& clock, ZhihuOptions options);

  // Checks the options (page size range, base URL scheme); the error names the option.
  static Status ValidateOptions(const ZhihuOptions& options);

  // Never fails as a whole: every failure is an outcome inside the Snapshot.
  model::Snapshot FetchQuestion(model::QuestionId id);

  // The deletion probe: kExists, kGone (HTTP 404/410 or Zhihu error 4041), or kUnknown for
  // anything else (blocked, rate-limited, transport failure, unreadable body). `error`, when
  // given, receives the reason for kGone/kUnknown.
  model::ProbeResult ProbeAnswer(model::AnswerId id, model::FetchError* error = nullptr);

  // Question ids, titles and heat from the hot list. Fails with kUnavailable carrying the
  // outcome name and the reason; `error`, when given, receives the details.
  Result<std::vector<model::HotItem>> HotList(model::FetchError* error = nullptr);

  // URLs the source requests (exposed for tests and diagnostics).
  std::string QuestionUrl(model::QuestionId id) const;
  std::string FeedsUrl(model::QuestionId id) const;
  std::string AnswersUrl(model::QuestionId id) const;
  std::string AnswerUrl(model::AnswerId id) const;
  std::string HotListUrl() const;

 private:
  void WalkListing(const std::string& first_url, HttpResponse* first, zhihu::ListingWalk& walk);

  HttpClient& http_;
  Clock& clock_;
  ZhihuOptions options_;
};

}  // namespace archivist::fetch

#endif  // ARCHIVIST_FETCH_SOURCES_ZHIHU_SOURCE_H_
