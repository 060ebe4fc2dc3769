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
// Ending: `is_end: true` is the only way to complete. Three guards stop a listing that never
// ends, each with `partial`: a `next` URL already visited (a loop), `max_stalled_pages`
// consecutive pages that add no new answer (e.g. empty pages with ever-larger offsets), and
// `max_pages` pages in all. `is_end: false` without a `next` is invalid_response.
#include "fetch/sources/zhihu_listing.h"

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
  if (!feeds) return item.value("type", "answer") == "answer" ? &item : nullptr;
  if (item.value("target_type", "") != "answer") return nullptr;
  if (item.contains("type") && item.value("type", "") != "question_feed_card") return nullptr;
  auto target = item.find("target");
  return target != item.end() && target->is_object() ? &*target : nullptr;
}

}  // namespace

Failure MakeFailure(Outcome o, int http_status, std::string message) {
  Failure f;
  f.outcome = o;
  f.error.http_status = http_status;
  f.error.message = std::move(message);
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
                "pagination loop: page " + std::to_string(pages_) + " points back to " + url);
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
  std::string truncated;
  for (size_t i = 0; i < page.data->size(); ++i) {
    const Json* a = AnswerOf((*page.data)[i], feeds_);
    if (a == nullptr) continue;
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
  next_ = page.next;
  return true;
}

}  // namespace archivist::fetch::zhihu
