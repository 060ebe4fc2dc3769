// ZhihuSource: walking a listing without ever mistaking a cut-off one for a complete one.
//
// The walk is a loop over pages. Each page is first classified (zhihu_classify.cc): any
// failure stops the walk with that outcome, recording the page number. A page that parses
// must be an object with a `data` array and a `paging` object whose `is_end` is a boolean;
// otherwise invalid_response. `need_force_login` (top level or in paging) stops the walk
// with auth_required and that page's items are not taken (they may be excerpts). An answer
// with `content_need_truncated` is not taken either (its content is cut), and the walk stops
// after that page with auth_required: the other answers of the page are kept.
//
// Items: on /feeds an answer is a `question_feed_card` whose `target_type` is "answer" and
// whose `target` is an object; on /answers an item whose `type` is "answer" or absent. Other
// items (a new card type, an ad) are skipped and counted in Snapshot::skipped_items. A page
// that carries items of which none is an answer is invalid_response naming the shape of its
// first item: a changed format must not read as a listing with no answers.
//
// Following `next`: only within the base URL's origin (url_origin.h), so that nothing the
// client sends with a request (cookies, headers) reaches another host because a page said
// so; an http `next` on an https base's host is taken over https; anything else stops the
// walk with invalid_response naming the URL.
//
// Ending: `is_end: true` is the only way to complete. Three guards stop a listing that never
// ends, each with `partial`: a `next` URL already visited (a loop), `max_stalled_pages`
// consecutive pages that add no new answer (e.g. empty pages with ever-larger offsets), and
// `max_pages` pages in all. `is_end: false` without a `next` is invalid_response.
//
// Fallback: when page 1 of /feeds fails with not_found or invalid_response (the endpoint is
// gone or changed), the older /answers listing is walked from its start instead.
#include "fetch/sources/zhihu_source.h"

#include <set>

#include "base/bounded_text.h"
#include "fetch/sources/zhihu_classify.h"

namespace archivist::fetch {

using model::Outcome;
using zhihu::Classified;
using zhihu::Failure;
using zhihu::Json;

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

bool Flag(const Json& obj, const char* name) {
  if (!obj.is_object()) return false;
  auto it = obj.find(name);
  return it != obj.end() && it->is_boolean() && it->get<bool>();
}

struct Page {
  const Json* data = nullptr;
  bool is_end = false;
  bool need_force_login = false;
  std::string next;
};

Status ReadPage(const Json& body, Page& page) {
  if (!body.is_object()) return Status::InvalidArgument("listing page is not a JSON object");
  auto data = body.find("data");
  if (data == body.end() || !data->is_array()) return Status::InvalidArgument("'data' is not an array");
  auto paging = body.find("paging");
  if (paging == body.end() || !paging->is_object()) return Status::InvalidArgument("'paging' is missing");
  auto is_end = paging->find("is_end");
  if (is_end == paging->end() || !is_end->is_boolean()) {
    return Status::InvalidArgument("'paging.is_end' is not a boolean");
  }
  page.data = &*data;
  page.is_end = is_end->get<bool>();
  page.need_force_login = Flag(body, "need_force_login") || Flag(*paging, "need_force_login");
  if (auto next = paging->find("next"); next != paging->end() && next->is_string()) {
    page.next = next->get<std::string>();
  }
  return Status::Ok();
}

// The string member `name` of `obj`; nullopt when absent or not a string.
std::optional<std::string_view> StringMember(const Json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) return std::nullopt;
  return std::string_view(it->get_ref<const std::string&>());
}

// The answer object of a listing item, or nullptr when the item is not an answer.
const Json* AnswerOf(const Json& item, bool feeds) {
  if (!item.is_object()) return nullptr;
  const std::optional<std::string_view> type = StringMember(item, "type");
  if (!feeds) return !item.contains("type") || type == "answer" ? &item : nullptr;
  if (StringMember(item, "target_type") != "answer") return nullptr;
  if (item.contains("type") && type != "question_feed_card") return nullptr;
  auto target = item.find("target");
  return target != item.end() && target->is_object() ? &*target : nullptr;
}

// What a listing item looks like, for the message when no item is an answer (bounded).
std::string ShapeOf(const Json& item) {
  if (!item.is_object()) return zhihu::Describe(item);
  std::string keys;
  size_t shown = 0;
  for (auto it = item.begin(); it != item.end() && shown < 8; ++it, ++shown) {
    keys += (keys.empty() ? "" : ", ") + BoundText(it.key(), 32);
  }
  if (item.size() > shown) keys += ", …";
  std::string out = "an object with keys [" + keys + "]";
  for (const char* name : {"type", "target_type", "target"}) {
    auto it = item.find(name);
    if (it != item.end()) out += std::string(", ") + name + " " + zhihu::Describe(*it);
  }
  return out;
}

Failure PageFailure(Outcome o, int http_status, std::string message) {
  Failure f;
  f.outcome = o;
  f.error.http_status = http_status;
  f.error.message = BoundText(message);
  return f;
}

}  // namespace

struct ZhihuSource::Listing {
  std::vector<model::Answer> answers;
  std::set<model::AnswerId> ids;
  int pages = 0;
  int skipped = 0;  // items that were not answers
  bool complete = false;
  std::optional<Failure> failure;  // error.page set

  std::optional<Failure> Take(const Json& data, bool feeds, int status, size_t* added);
};

ZhihuSource::ZhihuSource(HttpClient& http, Clock& clock, ZhihuOptions options)
    : http_(http), clock_(clock), options_(std::move(options)) {
  options_.base_url = TrimSlash(options_.base_url);
  origin_ = OriginOf(options_.base_url);
}

Status ZhihuSource::ValidateOptions(const ZhihuOptions& o) {
  if (o.page_size < 1 || o.page_size > 100) {
    return Status::InvalidArgument("page size " + std::to_string(o.page_size) + " is not in 1..100");
  }
  if (!OriginOf(o.base_url)) {
    return Status::InvalidArgument("base URL '" + BoundText(o.base_url, 256) +
                                   "' is not an absolute http:// or https:// URL without "
                                   "user:password@");
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

// Takes the answers of one page into the listing; a failure when the page cannot be used
// (a malformed answer, no answer among its items, truncated answers: after taking the rest).
std::optional<Failure> ZhihuSource::Listing::Take(const Json& data, bool feeds, int status,
                                                  size_t* added) {
  int others = 0;  // items that are not answers
  std::vector<std::string> truncated;
  for (size_t i = 0; i < data.size(); ++i) {
    const Json* a = AnswerOf(data[i], feeds);
    if (a == nullptr) {
      ++others;
      continue;
    }
    Result<model::Answer> answer = zhihu::ParseAnswer(*a);
    if (!answer.ok()) {
      return PageFailure(Outcome::kInvalidResponse, status,
                         "item " + std::to_string(i) + ": " + answer.status().message());
    }
    if (Flag(*a, "content_need_truncated")) {
      truncated.push_back(std::to_string(answer->id));
      continue;
    }
    if (!ids.insert(answer->id).second) continue;
    answers.push_back(std::move(answer).value());
    ++*added;
  }
  if (!data.empty() && others == static_cast<int>(data.size())) {
    return PageFailure(Outcome::kInvalidResponse, status,
                       "none of the page's " + std::to_string(others) +
                           " items is an answer; item 0 is " + ShapeOf(data.front()));
  }
  skipped += others;
  if (truncated.empty()) return std::nullopt;
  std::string list;
  for (const auto& id : truncated) list += (list.empty() ? "" : ", ") + id;
  return PageFailure(Outcome::kAuthRequired, status,
                     "login wall: content_need_truncated for answer " + list);
}

void ZhihuSource::WalkListing(const std::string& first_url, HttpResponse* first, bool feeds,
                              Listing& out) {
  std::set<std::string> visited;
  std::string url = first_url;
  int stalled = 0;
  auto stop = [&](Failure f) {
    f.error.page = out.pages;
    out.failure = std::move(f);
  };
  while (true) {
    if (out.pages >= options_.max_pages) {
      return stop(PageFailure(Outcome::kPartial, 0, "listing did not end after " +
                                                        std::to_string(out.pages) + " pages"));
    }
    if (!visited.insert(url).second) {
      return stop(PageFailure(Outcome::kPartial, 0, "pagination loop: page " +
                                                        std::to_string(out.pages) +
                                                        " points back to " + BoundText(url, 256)));
    }
    ++out.pages;
    HttpResponse resp = first != nullptr ? std::move(*first) : http_.Perform({url, {}});
    first = nullptr;
    Classified c = zhihu::Classify(resp, clock_.WallNow());
    if (c.failure) return stop(std::move(*c.failure));
    Page page;
    if (Status st = ReadPage(c.body, page); !st.ok()) {
      return stop(PageFailure(Outcome::kInvalidResponse, resp.status, st.message()));
    }
    if (page.need_force_login) {
      return stop(PageFailure(Outcome::kAuthRequired, resp.status, "login wall: need_force_login"));
    }
    size_t added = 0;
    if (std::optional<Failure> f = out.Take(*page.data, feeds, resp.status, &added)) {
      return stop(std::move(*f));
    }
    if (page.is_end) {
      out.complete = true;
      return;
    }
    if (page.next.empty()) {
      return stop(PageFailure(Outcome::kInvalidResponse, resp.status,
                              "'paging.is_end' is false but 'paging.next' is missing"));
    }
    stalled = added == 0 ? stalled + 1 : 0;
    if (stalled >= options_.max_stalled_pages) {
      return stop(PageFailure(Outcome::kPartial, resp.status,
                              std::to_string(stalled) + " consecutive pages added no new answer"));
    }
    std::optional<std::string> next = origin_ ? WithinOrigin(page.next, *origin_) : std::nullopt;
    if (!next) {
      return stop(PageFailure(Outcome::kInvalidResponse, resp.status,
                              "'paging.next' leaves " +
                                  (origin_ ? origin_->ToString() : std::string("the base URL")) +
                                  ": " + BoundText(page.next, 256)));
    }
    url = std::move(*next);
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
      q.failure = PageFailure(Outcome::kInvalidResponse, got[0].status, parsed.status().message());
    } else if (parsed->id != id) {
      q.failure = PageFailure(Outcome::kInvalidResponse, got[0].status,
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
  Listing listing;
  WalkListing(FeedsUrl(id), &got[1], /*feeds=*/true, listing);
  if (options_.answers_fallback && listing.failure && listing.failure->error.page == 1 &&
      (listing.failure->outcome == Outcome::kNotFound ||
       listing.failure->outcome == Outcome::kInvalidResponse)) {
    const std::string why = listing.failure->error.message;
    listing = Listing();
    WalkListing(AnswersUrl(id), nullptr, /*feeds=*/false, listing);
    if (listing.failure) {
      std::string& message = listing.failure->error.message;
      message = BoundText(message + " (after /feeds failed: " + why + ")");
    }
  }
  snap.answers = std::move(listing.answers);
  snap.pages = listing.pages;
  snap.skipped_items = listing.skipped;
  if (listing.complete) {
    snap.outcome = Outcome::kComplete;
  } else {
    snap.outcome = listing.failure->outcome;
    snap.error = listing.failure->error;
    snap.retry_after_seconds = listing.failure->retry_after_seconds;
  }
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
                            : BoundText(a.status().message());
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
    f = PageFailure(Outcome::kInvalidResponse, resp.status, "hot list: 'data' is not an array");
  } else {
    const Json& data = c.body["data"];
    std::vector<model::HotItem> items;
    for (const Json& item : data) {
      if (!item.is_object() || !item.contains("target") || !item["target"].is_object()) continue;
      const Json& t = item["target"];
      std::optional<uint64_t> qid = t.contains("id") ? zhihu::IdFrom(t["id"]) : std::nullopt;
      if (!qid || *qid == 0) continue;  // not a question card
      model::HotItem h;
      h.question_id = *qid;
      h.title = BoundText(StringMember(t, "title").value_or(""), zhihu::kMaxTitleBytes);
      h.heat = BoundText(StringMember(item, "detail_text").value_or(""), zhihu::kMaxNameBytes);
      items.push_back(std::move(h));
    }
    if (!items.empty() || data.empty()) return items;
    f = PageFailure(Outcome::kInvalidResponse, resp.status,
                    "hot list: none of its " + std::to_string(data.size()) +
                        " items is a question; item 0 is " + ShapeOf(data.front()));
  }
  if (error != nullptr) *error = f.error;
  return Status::Unavailable(std::string(model::OutcomeName(f.outcome)) + ": " + f.error.message);
}

}  // namespace archivist::fetch
