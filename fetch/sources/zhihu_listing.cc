// ListingWalk: walking a listing without ever mistaking a cut-off one for a complete one.
//
// Each page is first classified (zhihu_classify.cc): any failure stops the walk with that
// outcome, recording the page number. A page that parses must be an object with a `data`
// array and a `paging` object whose `is_end` is a boolean; otherwise invalid_response.
// `need_force_login` (top level or in paging) stops the walk with auth_required and that
// page's items are not taken (they may be excerpts). An answer with `content_need_truncated`
// is not taken either (its content is cut), and the walk stops after that page with
// auth_required: the other answers of the page are kept.
//
// Items: on /feeds an answer is a `question_feed_card` whose `target_type` is "answer" and
// whose `target` is an object; on /answers an item whose `type` is "answer" or absent. Other
// items (a new card type, an ad) are skipped and counted in Snapshot::skipped_items. A page
// that carries items of which none is an answer is invalid_response naming the shape of its
// first item: a changed format must not read as a listing with no answers.
//
// Following `next` (with KeepWithin, as ZhihuSource does): only within the base URL's origin
// (url_origin.h), so that nothing the client sends with a request (cookies, headers) reaches
// another host because a page said so; an http `next` on an https base's host is taken over
// https; anything else stops the walk with invalid_response naming the URL.
//
// Ending: `is_end: true` is the only way to complete. Three guards stop a listing that never
// ends, each with `partial`: a `next` URL already visited (a loop), `max_stalled_pages`
// consecutive pages that add no new answer (e.g. empty pages with ever-larger offsets), and
// `max_pages` pages in all. `is_end: false` without a `next` is invalid_response.
#include "fetch/sources/zhihu_listing.h"

#include "base/bounded_text.h"

namespace archivist::fetch::zhihu {

using model::Outcome;

namespace {

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

}  // namespace

// The string member `name` of `obj`; nullopt when absent or not a string.
std::optional<std::string_view> StringMember(const Json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) return std::nullopt;
  return std::string_view(it->get_ref<const std::string&>());
}

// What a listing item looks like, for the message when no item is an answer (bounded).
std::string ShapeOf(const Json& item) {
  if (!item.is_object()) return Describe(item);
  std::string keys;
  size_t shown = 0;
  for (auto it = item.begin(); it != item.end() && shown < 8; ++it, ++shown) {
    keys += (keys.empty() ? "" : ", ") + BoundText(it.key(), 32);
  }
  if (item.size() > shown) keys += ", …";
  std::string out = "an object with keys [" + keys + "]";
  for (const char* name : {"type", "target_type", "target"}) {
    auto it = item.find(name);
    if (it != item.end()) out += std::string(", ") + name + " " + Describe(*it);
  }
  return out;
}

Failure MakeFailure(Outcome o, int http_status, std::string message) {
  Failure f;
  f.outcome = o;
  f.error.http_status = http_status;
  f.error.message = BoundText(message);
  return f;
}

bool ListingWalk::Stop(Outcome o, int http_status, std::string message) {
  Fail(MakeFailure(o, http_status, std::move(message)));
  return false;
}

void ListingWalk::Fail(Failure failure) {
  failure.error.page = pages_;
  failure_ = std::move(failure);
}

bool ListingWalk::Admit(const std::string& url) {
  if (failure_ || complete_) return false;
  if (pages_ >= limits_.max_pages) {
    return Stop(Outcome::kPartial, 0, "listing did not end after " + std::to_string(pages_) + " pages");
  }
  if (!visited_.insert(url).second) {
    return Stop(Outcome::kPartial, 0,
                "pagination loop: page " + std::to_string(pages_) + " points back to " + BoundText(url, 256));
  }
  ++pages_;
  return true;
}

bool ListingWalk::TakeResponse(const HttpResponse& response, Timestamp now) {
  Classified c = Classify(response, now);
  if (c.failure) {
    Fail(std::move(*c.failure));
    return false;
  }
  return TakeBody(c.body, response.status);
}

bool ListingWalk::TakeBody(const Json& body, int status) {
  Page page;
  if (Status st = ReadPage(body, page); !st.ok()) return Stop(Outcome::kInvalidResponse, status, st.message());
  if (page.need_force_login) return Stop(Outcome::kAuthRequired, status, "login wall: need_force_login");
  size_t added = 0;
  size_t others = 0;  // items that are not answers
  std::string truncated;
  for (size_t i = 0; i < page.data->size(); ++i) {
    const Json* a = AnswerOf((*page.data)[i], feeds_);
    if (a == nullptr) {
      ++others;
      continue;
    }
    Result<model::Answer> answer = ParseAnswer(*a);
    if (!answer.ok()) {
      return Stop(Outcome::kInvalidResponse, status,
                  "item " + std::to_string(i) + ": " + answer.status().message());
    }
    if (Flag(*a, "content_need_truncated")) {
      truncated += (truncated.empty() ? "" : ", ") + std::to_string(answer->id);
      continue;
    }
    if (!ids_.insert(answer->id).second) continue;
    answers_.push_back(std::move(answer).value());
    ++added;
  }
  if (!page.data->empty() && others == page.data->size()) {
    return Stop(Outcome::kInvalidResponse, status,
                "none of the page's " + std::to_string(others) + " items is an answer; item 0 is " +
                    ShapeOf(page.data->front()));
  }
  skipped_ += static_cast<int>(others);
  if (!truncated.empty()) {
    return Stop(Outcome::kAuthRequired, status, "login wall: content_need_truncated for answer " + truncated);
  }
  if (page.is_end) {
    complete_ = true;
    return false;
  }
  if (page.next.empty()) {
    return Stop(Outcome::kInvalidResponse, status, "'paging.is_end' is false but 'paging.next' is missing");
  }
  stalled_ = added == 0 ? stalled_ + 1 : 0;
  if (stalled_ >= limits_.max_stalled_pages) {
    return Stop(Outcome::kPartial, status,
                std::to_string(stalled_) + " consecutive pages added no new answer");
  }
  if (!keep_within_) {
    next_ = page.next;
    return true;
  }
  std::optional<std::string> next = origin_ ? WithinOrigin(page.next, *origin_) : std::nullopt;
  if (!next) {
    return Stop(Outcome::kInvalidResponse, status,
                "'paging.next' leaves " + (origin_ ? origin_->ToString() : std::string("the base URL")) +
                    ": " + BoundText(page.next, 256));
  }
  next_ = std::move(*next);
  return true;
}

}  // namespace archivist::fetch::zhihu
