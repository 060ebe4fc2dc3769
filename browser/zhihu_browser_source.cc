// BrowserZhihuSource: opening a page and judging it, for the question, the probe and the hot
// list alike.
//
// Load opens a tab, enables the Network and Page domains, sets the session cookies (once per
// browser start: after that the profile keeps them, with whatever the site set), takes a
// politeness slot and navigates, waiting for the load event. The document is then judged like
// an HTTP response of the HTTP backend (zhihu_classify's ClassifyDocument): its transport, the
// captcha and sign-in URLs (the final URL, a redirect's Location, or where a script took the
// page), its status. A load that never finishes is transient, unless the document already
// answered with a status that says more (a 404, a 429, a redirect to the captcha). Last, the
// `js-initialData` script is cut out of the document as served (Network.getResponseBody, not
// the DOM a script may have changed) and parsed with the HTTP backend's JSON reader.
#include "browser/zhihu_browser_source.h"

#include "browser/source_internal.h"
#include "base/bounded_text.h"
#include "fetch/http_client.h"
#include "fetch/sources/zhihu_json.h"

namespace archivist::browser {

using model::Outcome;
using fetch::zhihu::MakeFailure;

namespace {

std::string TrimSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

std::string Seconds(Clock::Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + " s";
}

Json CookieJson(const Cookie& c, const std::string& base_url) {
  Json j = {{"name", c.name}, {"value", c.value}, {"path", c.path}, {"secure", c.secure}, {"httpOnly", c.http_only}};
  if (c.domain.empty()) {
    j["url"] = base_url + c.path;
  } else {
    j["domain"] = c.domain;
  }
  if (c.expires > 0) j["expires"] = c.expires;
  return j;
}

}  // namespace

Status BrowserZhihuSource::ValidateOptions(const BrowserSourceOptions& o) {
  if (!o.base_url.starts_with("http://") && !o.base_url.starts_with("https://")) {
    return Status::InvalidArgument("base URL '" + o.base_url + "' does not start with http:// or https://");
  }
  if (HostNameOf(o.base_url).empty()) return Status::InvalidArgument("base URL '" + o.base_url + "' has no host");
  if (o.max_pages < 1 || o.max_stalled_pages < 1 || o.max_idle_scrolls < 1 || o.max_answers < 1) {
    return Status::InvalidArgument("max_pages, max_stalled_pages, max_idle_scrolls and max_answers must be positive");
  }
  for (Clock::Duration d : {o.page_timeout, o.response_timeout, o.scroll_wait, o.overall_timeout, o.command_timeout}) {
    if (d <= Clock::Duration::zero()) return Status::InvalidArgument("browser source timeouts must be positive");
  }
  if (o.max_body_bytes < 1024 || o.max_state_bytes < 1024) {
    return Status::InvalidArgument("max_body_bytes and max_state_bytes must be at least 1 KiB");
  }
  return Status::Ok();
}

Result<std::unique_ptr<BrowserZhihuSource>> BrowserZhihuSource::Create(Browser& browser, Clock& clock,
                                                                       BrowserSourceOptions options,
                                                                       fetch::Politeness* politeness) {
  ARCHIVIST_RETURN_IF_ERROR(ValidateOptions(options));
  options.base_url = TrimSlash(options.base_url);
  std::vector<Cookie> cookies;
  if (!options.cookies_file.empty()) {
    Result<std::vector<Cookie>> file = ReadCookiesFile(options.cookies_file, HostNameOf(options.base_url));
    if (!file.ok()) return file.status();
    cookies = std::move(file).value();
  }
  for (Cookie& c : ParseCookieHeader(options.cookie)) cookies.push_back(std::move(c));
  return std::unique_ptr<BrowserZhihuSource>(
      new BrowserZhihuSource(browser, clock, std::move(options), politeness, std::move(cookies)));
}

BrowserZhihuSource::BrowserZhihuSource(Browser& browser, Clock& clock, BrowserSourceOptions options,
                                       fetch::Politeness* politeness, std::vector<Cookie> cookies)
    : browser_(browser), clock_(clock), options_(std::move(options)), politeness_(politeness),
      cookies_(std::move(cookies)), host_(fetch::HostOf(options_.base_url)) {
  browser_.AllowHost(host_);
}

std::string BrowserZhihuSource::QuestionPageUrl(model::QuestionId id) const {
  return options_.base_url + "/question/" + std::to_string(id);
}
std::string BrowserZhihuSource::AnswerPageUrl(model::AnswerId id) const {
  return options_.base_url + "/answer/" + std::to_string(id);
}
std::string BrowserZhihuSource::HotPageUrl() const { return options_.base_url + "/hot"; }

Status BrowserZhihuSource::SetCookies(Page& page) {
  const uint64_t start = browser_.stats().starts;
  if (cookies_.empty() || cookies_set_for_start_.load() == start) return Status::Ok();
  std::string last_error;
  size_t set = 0;
  for (const Cookie& c : cookies_) {  // one at a time: one the browser refuses spoils no other
    Result<Json> r = page.capture->Call("Network.setCookies", Json{{"cookies", Json::array({CookieJson(c, options_.base_url)})}});
    if (r.ok()) {
      ++set;
    } else {
      last_error = "cookie '" + c.name + "': " + r.status().message();
    }
  }
  if (set == 0) return Status::Unavailable("none of the " + std::to_string(cookies_.size()) + " cookies could be set; " + last_error);
  cookies_set_for_start_ = start;
  return Status::Ok();
}

void BrowserZhihuSource::Load(const std::string& url, const std::string& watch_prefix,
                              Clock::SteadyTime deadline, Page& page) {
  auto fail = [&](Outcome o, std::string message) { page.failure = MakeFailure(o, 0, std::move(message)); };
  Result<std::unique_ptr<Tab>> tab = browser_.OpenTab(deadline);
  if (!tab.ok()) return fail(Outcome::kTransient, "browser: " + tab.status().message());
  page.tab = std::move(tab).value();
  PageCapture::Limits limits{options_.max_body_bytes, static_cast<size_t>(options_.max_pages) + 64,
                             options_.command_timeout, options_.cancel};
  page.capture = std::make_unique<PageCapture>(*page.tab, clock_, limits, watch_prefix);
  if (Status st = page.capture->Enable(); !st.ok()) return fail(Outcome::kTransient, "browser: " + st.message());
  if (Status st = SetCookies(page); !st.ok()) return fail(Outcome::kTransient, "browser: " + st.message());

  Pacer slot(politeness_, clock_, host_, options_.cancel);
  if (!slot.Acquire(deadline)) {
    return fail(Outcome::kTransient, Cancelled(options_.cancel)
                                         ? "the fetch was cancelled (archivist is stopping)"
                                         : "no politeness slot for " + host_ + " in time");
  }
  const Clock::SteadyTime load_by = std::min(deadline, clock_.SteadyNow() + options_.page_timeout);
  page.load = page.capture->Navigate(url, load_by);
  slot.Release();
  if (JudgeLoad(url, page)) ReadState(url, page);
}

bool BrowserZhihuSource::JudgeLoad(const std::string& url, Page& page) {
  const PageCapture::Load load = page.load;
  const Timestamp now = clock_.WallNow();
  const std::optional<Exchange> doc = page.capture->Document();
  auto fail = [&](Outcome o, int status, std::string message) {
    page.failure = MakeFailure(o, status, std::move(message));
    return false;
  };
  if (load == PageCapture::Load::kBroken) {
    return fail(page.capture->too_large() ? Outcome::kTooLarge : Outcome::kTransient, 0,
                "browser: " + page.capture->broken());
  }
  if (load != PageCapture::Load::kLoaded) {
    // What the document said before it failed or stalled: a captcha redirect, a 404, a 429…
    if (doc && doc->status != 0) {
      fetch::HttpResponse said = ToHttpResponse(*doc, "");
      said.error = fetch::TransportError::kNone;
      if ((page.failure = fetch::zhihu::ClassifyDocument(said, now))) return false;
    }
    if (load == PageCapture::Load::kTimeout) {
      return fail(Outcome::kTransient, doc ? doc->status : 0,
                  "the page " + url + " did not finish loading in " + Seconds(options_.page_timeout));
    }
    if (doc && (page.failure = fetch::zhihu::ClassifyDocument(ToHttpResponse(*doc, ""), now))) return false;
    return fail(Outcome::kTransient, 0, "the page " + url + " failed to load");
  }
  if (!doc) return fail(Outcome::kInvalidResponse, 0, "the page " + url + " loaded without a document");
  page.document = page.capture->Fetched(*doc);
  // A script may have taken the page elsewhere since (to the captcha, to sign in).
  if (const std::string where = page.capture->CurrentUrl(); !where.empty()) {
    fetch::HttpResponse moved;
    moved.status = 200;
    moved.effective_url = where;
    if ((page.failure = fetch::zhihu::ClassifyDocument(moved, now))) {
      page.failure->error.http_status = page.document.status;
      return false;
    }
  }
  page.failure = fetch::zhihu::ClassifyDocument(page.document, now);
  return !page.failure;
}

void BrowserZhihuSource::ReadState(const std::string& url, Page& page) {
  const int status = page.document.status;
  auto fail = [&](Outcome o, std::string message) { page.failure = MakeFailure(o, status, std::move(message)); };
  const std::optional<std::string_view> text = FindInitialData(page.document.body);
  if (!text) return fail(Outcome::kInvalidResponse, "the page " + url + " has no js-initialData script");
  if (text->size() > options_.max_state_bytes) {
    return fail(Outcome::kTooLarge, "the page state of " + std::to_string(text->size()) +
                                        " bytes is over the cap of " + std::to_string(options_.max_state_bytes));
  }
  Result<Json> state = fetch::zhihu::ParseJson(*text);
  if (!state.ok()) return fail(Outcome::kInvalidResponse, "js-initialData: " + state.status().message());
  page.state = std::move(state).value();
}

model::Snapshot BrowserZhihuSource::FetchQuestion(model::QuestionId id) {
  model::Snapshot snap;
  snap.question.id = id;
  const Clock::SteadyTime deadline = clock_.SteadyNow() + options_.overall_timeout;
  Page page;
  Load(QuestionPageUrl(id), "/api/v4/questions/" + std::to_string(id) + "/feeds", deadline, page);
  const int status = page.document.status;
  if (!page.failure) {
    Result<QuestionPageState> state = ReadQuestionPage(page.state, id);
    Result<model::Question> question = Status::InvalidArgument("page state: 'entities.questions[" +
                                                               std::to_string(id) + "]' is missing");
    if (state.ok() && !state->question.is_null()) question = fetch::zhihu::ParseQuestion(state->question);
    if (!state.ok()) {
      page.failure = MakeFailure(Outcome::kInvalidResponse, status, state.status().message());
    } else if (!question.ok()) {
      page.failure = MakeFailure(Outcome::kInvalidResponse, status, question.status().message());
    } else if (question->id != id) {
      page.failure = MakeFailure(Outcome::kInvalidResponse, status,
                                 "asked for question " + std::to_string(id) + ", the page is " + std::to_string(question->id));
    } else {
      snap.question = std::move(question).value();
      Walk walk(*this, page, deadline);
      walk.Run(*state);
      fetch::zhihu::ListingWalk& listing = walk.listing();
      snap.pages = listing.pages();
      if (listing.complete()) {
        snap.outcome = Outcome::kComplete;
      } else {
        page.failure = listing.failure();
      }
      snap.answers = listing.TakeAnswers();
    }
  }
  if (page.failure) {
    snap.outcome = page.failure->outcome;
    snap.error = page.failure->error;
    snap.retry_after_seconds = page.failure->retry_after_seconds;
    if (snap.outcome == Outcome::kRateLimited && snap.retry_after_seconds && politeness_ != nullptr) {
      politeness_->BackOff(host_, clock_.SteadyNow() + std::chrono::seconds(*snap.retry_after_seconds));
    }
  }
  return snap;
}

model::ProbeResult BrowserZhihuSource::ProbeAnswer(model::AnswerId id, model::FetchError* error) {
  Page page;
  Load(AnswerPageUrl(id), "", clock_.SteadyNow() + 2 * options_.page_timeout, page);
  if (page.failure) {
    if (error != nullptr) *error = page.failure->error;
    return page.failure->outcome == Outcome::kNotFound ? model::ProbeResult::kGone : model::ProbeResult::kUnknown;
  }
  if (HasAnswer(page.state, id)) return model::ProbeResult::kExists;
  if (error != nullptr) {
    error->http_status = page.document.status;
    error->message = "the page " + BoundText(page.document.effective_url, 256) + " does not hold answer " + std::to_string(id);
  }
  return model::ProbeResult::kUnknown;
}

Result<std::vector<model::HotItem>> BrowserZhihuSource::HotList(model::FetchError* error) {
  Page page;
  Load(HotPageUrl(), "", clock_.SteadyNow() + 2 * options_.page_timeout, page);
  if (!page.failure) {
    Result<std::vector<model::HotItem>> items = ReadHotList(page.state);
    if (items.ok()) return items;
    page.failure = MakeFailure(Outcome::kInvalidResponse, page.document.status, items.status().message());
  }
  if (error != nullptr) *error = page.failure->error;
  return Status::Unavailable(std::string(model::OutcomeName(page.failure->outcome)) + ": " +
                             page.failure->error.message);
}

}  // namespace archivist::browser
