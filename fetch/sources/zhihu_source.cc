// ZhihuSource: the HTTP walk of a question's listing.
//
// The question and the first listing page go out as one batch; then `paging.next` is followed
// verbatim, each page handed to a ListingWalk (zhihu_listing.cc), which holds the rules: what
// a page must look like, the login wall, and the guards that stop a listing that never ends.
//
// Fallback: when page 1 of /feeds fails with not_found or invalid_response (the endpoint is
// gone or changed), the older /answers listing is walked from its start instead.
#include "fetch/sources/zhihu_source.h"

#include "fetch/sources/zhihu_classify.h"
#include "fetch/sources/zhihu_listing.h"

namespace archivist::fetch {

using model::Outcome;
using zhihu::Classified;
using zhihu::Failure;
using zhihu::Json;
using zhihu::ListingWalk;

namespace {

// The `include` parameter the Zhihu web client sends for listings (percent-encoded).
constexpr std::string_view kFeedsInclude =
    "data%5B%2A%5D.is_normal%2Cadmin_closed_comment%2Creward_info%2Cis_collapsed%2C"
    "annotation_action%2Cannotation_detail%2Ccollapse_reason%2Cis_sticky%2Ccollapsed_by%2C"
    "suggest_edit%2Ccomment_count%2Ccan_comment%2Ccontent%2Ceditable_content%2Cattachment%2C"
    "voteup_count%2Creshipment_settings%2Ccomment_permission%2Ccreated_time%2Cupdated_time%2C"
    "review_info%2Crelevant_info%2Cquestion%2Cexcerpt%2Cis_labeled%2Cpaid_info%2C"
    "paid_info_content%2Crelationship.is_authorized%2Cis_author%2Cvoting%2Cis_thanked%2C"
    "is_nothelp%3Bdata%5B%2A%5D.author.follower_count%2Cbadge%5B%2A%5D.topics";

std::string TrimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

ZhihuSource::ZhihuSource(HttpClient& http, Clock& clock, ZhihuOptions options)
    : http_(http), clock_(clock), options_(std::move(options)) {
  options_.base_url = TrimSlash(options_.base_url);
}

Status ZhihuSource::ValidateOptions(const ZhihuOptions& o) {
  if (o.page_size < 1 || o.page_size > 100) {
    return Status::InvalidArgument("page size " + std::to_string(o.page_size) + " is not in 1..100");
  }
  if (!o.base_url.starts_with("http://") && !o.base_url.starts_with("https://")) {
    return Status::InvalidArgument("base URL '" + o.base_url + "' does not start with http:// or https://");
  }
  if (o.max_pages < 1 || o.max_stalled_pages < 1) {
    return Status::InvalidArgument("max_pages and max_stalled_pages must be positive");
  }
  return Status::Ok();
}

std::string ZhihuSource::QuestionUrl(model::QuestionId id) const {
  return options_.base_url + "/api/v4/questions/" + std::to_string(id);
}
std::string ZhihuSource::FeedsUrl(model::QuestionId id) const {
  return QuestionUrl(id) + "/feeds?include=" + std::string(kFeedsInclude) +
         "&limit=" + std::to_string(options_.page_size) + "&offset=0&order=default&platform=desktop";
}
std::string ZhihuSource::AnswersUrl(model::QuestionId id) const {
  return QuestionUrl(id) + "/answers?include=" + std::string(kFeedsInclude) +
         "&limit=" + std::to_string(options_.page_size) + "&offset=0&platform=desktop&sort_by=default";
}
std::string ZhihuSource::AnswerUrl(model::AnswerId id) const {
  return options_.base_url + "/api/v4/answers/" + std::to_string(id);
}
std::string ZhihuSource::HotListUrl() const {
  return options_.base_url + "/api/v3/feed/topstory/hot-lists/total?limit=50";
}

void ZhihuSource::WalkListing(const std::string& first_url, HttpResponse* first,
                              zhihu::ListingWalk& walk) {
  std::string url = first_url;
  while (walk.Admit(url)) {
    HttpResponse resp = first != nullptr ? std::move(*first) : http_.Perform({url, {}});
    first = nullptr;
    if (!walk.TakeResponse(resp, clock_.WallNow())) return;
    url = walk.next_url();
  }
}

model::Snapshot ZhihuSource::FetchQuestion(model::QuestionId id) {
  model::Snapshot snap;
  snap.question.id = id;
  // The question and the first listing page go out together (the multi interface runs them
  // at once where politeness allows).
  std::vector<HttpResponse> got = http_.PerformAll({{QuestionUrl(id), {}}, {FeedsUrl(id), {}}});
  Classified q = zhihu::Classify(got[0], clock_.WallNow());
  if (!q.failure) {
    Result<model::Question> parsed = zhihu::ParseQuestion(q.body);
    if (!parsed.ok()) {
      q.failure = zhihu::MakeFailure(Outcome::kInvalidResponse, got[0].status, parsed.status().message());
    } else if (parsed->id != id) {
      q.failure = zhihu::MakeFailure(Outcome::kInvalidResponse, got[0].status,
                              "asked for question " + std::to_string(id) + ", got " +
                                  std::to_string(parsed->id));
    } else {
      snap.question = std::move(parsed).value();
    }
  }
  if (q.failure) {
    snap.outcome = q.failure->outcome;
    snap.error = q.failure->error;
    snap.error.page = 0;
    snap.retry_after_seconds = q.failure->retry_after_seconds;
    return snap;
  }
  const zhihu::ListingLimits limits{options_.max_pages, options_.max_stalled_pages};
  ListingWalk walk(/*feeds=*/true, limits);
  WalkListing(FeedsUrl(id), &got[1], walk);
  if (options_.answers_fallback && walk.failure() && walk.failure()->error.page == 1 &&
      (walk.failure()->outcome == Outcome::kNotFound ||
       walk.failure()->outcome == Outcome::kInvalidResponse)) {
    const std::string why = walk.failure()->error.message;
    walk = ListingWalk(/*feeds=*/false, limits);
    WalkListing(AnswersUrl(id), nullptr, walk);
    if (walk.failure()) walk.mutable_failure().error.message += " (after /feeds failed: " + why + ")";
  }
  snap.pages = walk.pages();
  if (walk.complete()) {
    snap.outcome = Outcome::kComplete;
  } else {
    snap.outcome = walk.failure()->outcome;
    snap.error = walk.failure()->error;
    snap.retry_after_seconds = walk.failure()->retry_after_seconds;
  }
  snap.answers = walk.TakeAnswers();
  return snap;
}

model::ProbeResult ZhihuSource::ProbeAnswer(model::AnswerId id, model::FetchError* error) {
  HttpResponse resp = http_.Perform({AnswerUrl(id), {}});
  Classified c = zhihu::Classify(resp, clock_.WallNow());
  if (c.failure) {
    if (error != nullptr) *error = c.failure->error;
    return c.failure->outcome == Outcome::kNotFound ? model::ProbeResult::kGone
                                                    : model::ProbeResult::kUnknown;
  }
  Result<model::Answer> a = zhihu::ParseAnswer(c.body);
  if (a.ok() && a->id == id) return model::ProbeResult::kExists;
  if (error != nullptr) {
    error->http_status = resp.status;
    error->message = a.ok() ? "asked for answer " + std::to_string(id) + ", got " + std::to_string(a->id)
                            : a.status().message();
  }
  return model::ProbeResult::kUnknown;
}

Result<std::vector<model::HotItem>> ZhihuSource::HotList(model::FetchError* error) {
  HttpResponse resp = http_.Perform({HotListUrl(), {}});
  Classified c = zhihu::Classify(resp, clock_.WallNow());
  Failure f;
  if (c.failure) {
    f = *c.failure;
  } else if (!c.body.is_object() || !c.body.contains("data") || !c.body["data"].is_array()) {
    f = zhihu::MakeFailure(Outcome::kInvalidResponse, resp.status, "hot list: 'data' is not an array");
  } else {
    std::vector<model::HotItem> items;
    for (const Json& item : c.body["data"]) {
      if (!item.is_object() || !item.contains("target") || !item["target"].is_object()) continue;
      const Json& t = item["target"];
      std::optional<uint64_t> qid = t.contains("id") ? zhihu::IdFrom(t["id"]) : std::nullopt;
      if (!qid || *qid == 0) continue;  // not a question card
      model::HotItem h;
      h.question_id = *qid;
      h.title = t.value("title", "");
      h.heat = item.value("detail_text", "");
      items.push_back(std::move(h));
    }
    return items;
  }
  if (error != nullptr) *error = f.error;
  return Status::Unavailable(std::string(model::OutcomeName(f.outcome)) + ": " + f.error.message);
}

}  // namespace archivist::fetch
