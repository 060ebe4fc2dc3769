// BrowserZhihuSource: a Zhihu question read the way a person's browser reads it.
//
// The HTTP backend (fetch::ZhihuSource) asks Zhihu's JSON API directly; Zhihu refuses such
// requests unless they carry a signature that only its own page script computes. This source
// instead opens the question page in the shared headless Chromium (browser.h) with the
// operator's session cookies, reads the answers the server rendered into the page
// (`js-initialData`), then scrolls the page so that its own script requests the following
// /feeds pages, and captures those responses from the browser's network events. Nothing is
// forged: a captcha, a login wall or a block is the outcome it is.
//
// Each page (the rendered state and every captured /feeds response) goes through the same
// rules as the HTTP backend (fetch/sources/zhihu_json, zhihu_classify, zhihu_listing), so the
// Snapshot is the same — ids, listing order, content byte for byte, times, authors, question —
// and so are the outcomes; docs/browser.md ("Outcomes of the browser backend") lists them.
//
// Politeness: given a fetch::Politeness, a slot for the base URL's host is taken before each
// page load and each scroll step (held until the page it asked for has arrived), so the
// per-host delay paces scrolling like a reader, not a flood.
//
// Thread-safety: thread-safe; any number of workers may share one source (they share the
// browser, whose tabs bound how many fetches run at once).
#ifndef ARCHIVIST_BROWSER_ZHIHU_BROWSER_SOURCE_H_
#define ARCHIVIST_BROWSER_ZHIHU_BROWSER_SOURCE_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/cancel.h"
#include "base/clock.h"
#include "base/status.h"
#include "browser/browser.h"
#include "browser/cookies.h"
#include "fetch/politeness.h"
#include "model/model.h"

namespace archivist::browser {

struct BrowserSourceOptions {
  std::string base_url = "https://www.zhihu.com";
  std::string cookie;        // "name=value; …" (zhihu.cookie), set for the base URL's host
  std::string cookies_file;  // Netscape cookies.txt (fetch.cookies_file); its base-host cookies
  Clock::Duration page_timeout = std::chrono::seconds(30);      // a page load, to its load event
  Clock::Duration response_timeout = std::chrono::seconds(30);  // a listing page, once asked for
  Clock::Duration scroll_wait = std::chrono::seconds(3);  // for the page to ask after a scroll
  Clock::Duration overall_timeout = std::chrono::minutes(20);   // one FetchQuestion
  Clock::Duration command_timeout = std::chrono::seconds(30);   // one DevTools command
  int max_idle_scrolls = 3;    // scroll steps in a row after which the page asked for nothing
  int max_pages = 2000;        // listing pages (the rendered one counts), then partial
  int max_stalled_pages = 3;   // pages in a row adding no answer, then partial
  size_t max_answers = 100000;
  size_t max_body_bytes = 32u << 20;   // a page or a listing response
  size_t max_state_bytes = 16u << 20;  // the js-initialData text
  // The process's stop (the daemon's SIGTERM): a page load, a listing page or a politeness wait
  // in progress ends within 250 ms (transient). Null: never cancelled.
  const CancelToken* cancel = nullptr;
};

class BrowserZhihuSource {
 public:
  // Checks the options and reads the cookies file; the error names the option or file:line.
  // Borrows `browser`, `clock` and `politeness` (may be null: no pacing) for its lifetime, and
  // allows the base URL's host in the browser's request policy.
  static Result<std::unique_ptr<BrowserZhihuSource>> Create(Browser& browser, Clock& clock,
                                                            BrowserSourceOptions options,
                                                            fetch::Politeness* politeness = nullptr);
  static Status ValidateOptions(const BrowserSourceOptions& options);

  // Never fails as a whole: every failure is an outcome inside the Snapshot.
  model::Snapshot FetchQuestion(model::QuestionId id);

  // Opens {base}/answer/{id}: kGone when the page is a 404 (or Zhihu's 4041), kExists when the
  // page state holds the answer, kUnknown otherwise (blocked, login, failures: no evidence).
  model::ProbeResult ProbeAnswer(model::AnswerId id, model::FetchError* error = nullptr);

  // Opens {base}/hot (it needs a logged-in session: auth_required otherwise). Fails with
  // kUnavailable carrying the outcome name and the reason; `error` receives the details.
  Result<std::vector<model::HotItem>> HotList(model::FetchError* error = nullptr);

  std::string QuestionPageUrl(model::QuestionId id) const;
  std::string AnswerPageUrl(model::AnswerId id) const;
  std::string HotPageUrl() const;
  const BrowserSourceOptions& options() const { return options_; }

 private:
  struct Page;
  class Walk;

  BrowserZhihuSource(Browser& browser, Clock& clock, BrowserSourceOptions options,
                     fetch::Politeness* politeness, std::vector<Cookie> cookies);
  // Opens `url` in a new tab and reads its document and state (see Page): JudgeLoad gives the
  // document's verdict (false: page.failure is set), ReadState parses js-initialData.
  void Load(const std::string& url, const std::string& watch_prefix, Clock::SteadyTime deadline, Page& page);
  bool JudgeLoad(const std::string& url, Page& page);
  void ReadState(const std::string& url, Page& page);
  Status SetCookies(Page& page);

  Browser& browser_;
  Clock& clock_;
  const BrowserSourceOptions options_;
  fetch::Politeness* const politeness_;
  const std::vector<Cookie> cookies_;
  const std::string host_;  // the politeness key of the base URL, as the HTTP backend's
  std::atomic<uint64_t> cookies_set_for_start_{0};
};

}  // namespace archivist::browser

#endif  // ARCHIVIST_BROWSER_ZHIHU_BROWSER_SOURCE_H_
