// The question listing, read from a live page.
//
// The rendered state is page 1 of the listing: if it says isDrained the listing is complete
// there and then. Otherwise the page's own script asks for the next /feeds page when the end
// of the list comes into view, so the walk scrolls: each step (paced by the politeness slot of
// the host, held until the page it triggered has arrived) scrolls up a little and then to the
// end, and waits `scroll_wait` for the page to ask. Every request the page makes for
// /api/v4/questions/{qid}/feeds is captured in the order it was sent and handed to the same
// ListingWalk as the HTTP backend's pages, which decides when the listing ended or failed.
// A page the script asked for without being scrolled (it may fetch ahead) is taken just the
// same.
//
// What stops the walk besides the listing's own rules: the tab breaking (the browser crashed:
// transient; an oversized message: too_large), the page navigating to the captcha or sign-in
// page (blocked / auth_required), `max_idle_scrolls` steps after which the page asked for
// nothing although the listing has not ended (invalid_response: the page no longer works the
// way this code expects), more than `max_answers` answers, and the overall deadline (partial).
// A failure without a captured request is reported at the page that was expected next.
#include <algorithm>

#include "browser/source_internal.h"
#include "fetch/http_client.h"

namespace archivist::browser {

using model::Outcome;
using fetch::zhihu::MakeFailure;

bool Pacer::Acquire(Clock::SteadyTime deadline) {
  if (politeness_ == nullptr || held_) return held_ = true;
  while (true) {
    const Clock::Duration wait = politeness_->TryAcquire(host_);
    if (wait == Clock::Duration::zero()) return held_ = true;
    const Clock::SteadyTime now = clock_.SteadyNow();
    if (now >= deadline || Cancelled(cancel_)) return false;
    if (wait == fetch::Politeness::kWaitForRelease) {
      politeness_->WaitForRelease(std::chrono::milliseconds(100));
    } else if (cancel_ != nullptr) {
      cancel_->SleepFor(clock_, std::min(wait, deadline - now));
    } else {
      clock_.SleepFor(std::min(wait, deadline - now));
    }
  }
}

void Pacer::Release() {
  if (held_ && politeness_ != nullptr) politeness_->Release(host_);
  held_ = false;
}

BrowserZhihuSource::Walk::Walk(BrowserZhihuSource& source, Page& page, Clock::SteadyTime deadline)
    : source_(source), page_(page), capture_(*page.capture), deadline_(deadline),
      listing_(/*feeds=*/true, {source.options_.max_pages, source.options_.max_stalled_pages}) {}

void BrowserZhihuSource::Walk::FailAtNext(Outcome outcome, std::string message) {
  const std::string next = listing_.next_url();
  if (!listing_.Admit(next.empty() ? "(the next page)" : next)) return;  // its own failure
  listing_.Fail(MakeFailure(outcome, 0, std::move(message)));
}

bool BrowserZhihuSource::Walk::TooMany() {
  if (listing_.answers().size() <= source_.options_.max_answers) return false;
  listing_.Fail(MakeFailure(Outcome::kPartial, 0,
                            "more than " + std::to_string(source_.options_.max_answers) + " answers"));
  return true;
}

void BrowserZhihuSource::Walk::Run(const QuestionPageState& first) {
  const fetch::HttpResponse& doc = page_.document;
  if (!listing_.Admit(doc.effective_url)) return;
  if (first.anti_spider) {
    listing_.Fail(MakeFailure(Outcome::kBlocked, doc.status, "the page state says antiSpider"));
    return;
  }
  if (first.need_force_login) {
    // The answers shown are those before the wall: taken, then the walk stops there.
    Json shown = first.listing;
    shown["paging"]["is_end"] = false;
    if (!shown["paging"].contains("next")) shown["paging"]["next"] = doc.effective_url;
    if (listing_.TakeBody(shown, doc.status)) {
      listing_.Fail(MakeFailure(Outcome::kAuthRequired, doc.status, "login wall: needForceLogin"));
    }
    return;
  }
  if (!listing_.TakeBody(first.listing, doc.status) || TooMany()) return;
  while (true) {
    std::optional<Exchange> ex = NextPage();
    if (!ex) return;
    if (!listing_.Admit(ex->url)) return;
    if (!ex->done() && !capture_.broken().empty()) {
      listing_.Fail(MakeFailure(capture_.too_large() ? Outcome::kTooLarge : Outcome::kTransient, 0,
                                "browser: " + capture_.broken()));
      return;
    }
    fetch::HttpResponse response = capture_.Fetched(*ex);
    if (!listing_.TakeResponse(response, source_.clock_.WallNow()) || TooMany()) return;
  }
}

std::optional<Exchange> BrowserZhihuSource::Walk::NextPage() {
  Clock& clock = source_.clock_;
  const BrowserSourceOptions& o = source_.options_;
  int idle = 0;
  while (true) {
    if (capture_.watched_count() > consumed_) {
      const Exchange sent = capture_.watched(consumed_);
      capture_.WaitForExchange(consumed_, std::min(deadline_, sent.sent_at + o.response_timeout));
      return capture_.watched(consumed_++);
    }
    if (Cancelled(o.cancel)) {
      FailAtNext(Outcome::kTransient, "the fetch was cancelled (archivist is stopping)");
      return std::nullopt;
    }
    if (const std::string broken = capture_.broken(); !broken.empty()) {
      FailAtNext(capture_.too_large() ? Outcome::kTooLarge : Outcome::kTransient, "browser: " + broken);
      return std::nullopt;
    }
    fetch::HttpResponse now_at;
    now_at.status = 200;
    now_at.effective_url = capture_.CurrentUrl();
    if (auto f = fetch::zhihu::ClassifyDocument(now_at, clock.WallNow())) {
      FailAtNext(f->outcome, "the page went to " + now_at.effective_url);
      return std::nullopt;
    }
    if (clock.SteadyNow() >= deadline_) {
      FailAtNext(Outcome::kPartial, "the listing did not end within the time allowed for one fetch");
      return std::nullopt;
    }
    if (idle >= o.max_idle_scrolls) {
      FailAtNext(Outcome::kInvalidResponse,
                 "the page asked for no further listing page after " + std::to_string(idle) +
                     " scroll steps although the listing has not ended");
      return std::nullopt;
    }
    Pacer slot(source_.politeness_, clock, source_.host_, o.cancel);
    if (!slot.Acquire(deadline_)) continue;  // the deadline check above reports it
    if (Status st = capture_.Scroll(); !st.ok() && capture_.broken().empty()) {
      FailAtNext(Outcome::kTransient, "scrolling the page failed: " + st.message());
      return std::nullopt;
    }
    const Clock::SteadyTime asked_by = std::min(deadline_, clock.SteadyNow() + o.scroll_wait);
    if (!capture_.WaitForWatched(consumed_, asked_by)) {
      ++idle;
      continue;
    }
    idle = 0;
    // Hold the slot until the page it asked for has arrived.
    const Exchange sent = capture_.watched(consumed_);
    capture_.WaitForExchange(consumed_, std::min(deadline_, sent.sent_at + o.response_timeout));
  }
}

}  // namespace archivist::browser
