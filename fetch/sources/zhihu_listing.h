// ListingWalk: the rules for walking one paginated Zhihu answer listing, whoever fetches the
// pages. ZhihuSource fetches them itself over HTTP; the browser backend captures the pages a
// real question page requests. Both hand each page to a ListingWalk, so a listing means the
// same thing whichever backend read it. Internal to the Zhihu sources (exposes nlohmann types).
//
// Use: Admit(url) before each page (false = stop: page cap or a URL seen before), then
// TakeResponse/TakeBody with what came back (false = stop: the end, or a failure). After the
// walk, complete() or failure() says how it ended; answers() holds what was taken, in listing
// order, first position winning. The full rules: docs/fetch.md.
//
// Thread-safety: a value used by one thread.
#ifndef ARCHIVIST_FETCH_SOURCES_ZHIHU_LISTING_H_
#define ARCHIVIST_FETCH_SOURCES_ZHIHU_LISTING_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/time.h"
#include "fetch/http_client.h"
#include "fetch/sources/zhihu_classify.h"
#include "fetch/sources/zhihu_json.h"
#include "model/model.h"

namespace archivist::fetch::zhihu {

struct ListingLimits {
  int max_pages = 2000;       // a listing that has not ended by then is stopped (partial)
  int max_stalled_pages = 3;  // consecutive pages adding no new answer → stopped (partial)
};

class ListingWalk {
 public:
  // `feeds`: items are /feeds cards wrapping an answer in `target`; else bare answers.
  ListingWalk(bool feeds, ListingLimits limits) : feeds_(feeds), limits_(limits) {}

  // Before fetching the next page at `url`. False (and failure() set, partial) when the page
  // cap is reached or `url` was visited before (a loop).
  bool Admit(const std::string& url);

  // The page admitted last, as an HTTP response: classified (zhihu_classify.h), then read.
  // True when the listing goes on at next_url(); false when it ended or failed.
  bool TakeResponse(const HttpResponse& response, Timestamp now);

  // The page admitted last, already parsed; `http_status` only goes into error reports.
  bool TakeBody(const Json& body, int http_status);

  // Stops the walk with `failure` at the page admitted last.
  void Fail(Failure failure);

  const std::string& next_url() const { return next_; }
  bool complete() const { return complete_; }
  const std::optional<Failure>& failure() const { return failure_; }
  Failure& mutable_failure() { return *failure_; }
  int pages() const { return pages_; }
  const std::vector<model::Answer>& answers() const { return answers_; }
  std::vector<model::Answer> TakeAnswers() { return std::move(answers_); }

 private:
  bool Stop(model::Outcome o, int http_status, std::string message);

  bool feeds_;
  ListingLimits limits_;
  std::vector<model::Answer> answers_;
  std::set<model::AnswerId> ids_;
  std::set<std::string> visited_;
  std::string next_;
  int pages_ = 0;
  int stalled_ = 0;
  bool complete_ = false;
  std::optional<Failure> failure_;  // error.page set
};

// A failure with an outcome, the HTTP status (0 = none) and our message.
Failure MakeFailure(model::Outcome o, int http_status, std::string message);

}  // namespace archivist::fetch::zhihu

#endif  // ARCHIVIST_FETCH_SOURCES_ZHIHU_LISTING_H_
