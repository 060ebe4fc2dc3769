// The pieces BrowserZhihuSource's two files share. Internal to browser/.
#ifndef ARCHIVIST_BROWSER_SOURCE_INTERNAL_H_
#define ARCHIVIST_BROWSER_SOURCE_INTERNAL_H_

#include <memory>
#include <optional>
#include <string>

#include "browser/cdp.h"
#include "browser/page_capture.h"
#include "browser/page_state.h"
#include "browser/zhihu_browser_source.h"
#include "fetch/sources/zhihu_classify.h"
#include "fetch/sources/zhihu_listing.h"

namespace archivist::browser {

// One page opened in a tab: its document (status, final URL, body) and its parsed state, or
// the failure that stopped it.
struct BrowserZhihuSource::Page {
  std::unique_ptr<Tab> tab;
  std::unique_ptr<PageCapture> capture;  // destroyed before the tab
  PageCapture::Load load = PageCapture::Load::kBroken;
  fetch::HttpResponse document;
  Json state;  // js-initialData, when no failure
  std::optional<fetch::zhihu::Failure> failure;
};

// A politeness slot for one host, taken as the politeness allows and given back on Release or
// destruction. Without a Politeness it is always granted at once.
class Pacer {
 public:
  Pacer(fetch::Politeness* politeness, Clock& clock, std::string host,
        const CancelToken* cancel = nullptr)
      : politeness_(politeness), clock_(clock), host_(std::move(host)), cancel_(cancel) {}
  ~Pacer() { Release(); }
  Pacer(const Pacer&) = delete;
  Pacer& operator=(const Pacer&) = delete;

  // Waits for a slot until `deadline`; false when the deadline (or the stop) came first.
  bool Acquire(Clock::SteadyTime deadline);
  void Release();

 private:
  fetch::Politeness* politeness_;
  Clock& clock_;
  std::string host_;
  const CancelToken* cancel_;
  bool held_ = false;
};

// The walk of a question's listing over one open page: the rendered first page, then each
// /feeds page the page's script asks for while it is scrolled (question_walk.cc).
class BrowserZhihuSource::Walk {
 public:
  Walk(BrowserZhihuSource& source, Page& page, Clock::SteadyTime deadline);
  void Run(const QuestionPageState& first);
  fetch::zhihu::ListingWalk& listing() { return listing_; }

 private:
  std::optional<Exchange> NextPage();
  void FailAtNext(model::Outcome outcome, std::string message);
  bool TooMany();

  BrowserZhihuSource& source_;
  Page& page_;
  PageCapture& capture_;
  const Clock::SteadyTime deadline_;
  fetch::zhihu::ListingWalk listing_;
  size_t consumed_ = 0;  // watched requests taken into the walk
};

}  // namespace archivist::browser

#endif  // ARCHIVIST_BROWSER_SOURCE_INTERNAL_H_
