// The `browser` backend (see backends.h): the process's one browser, made on first use and
// shared, and the SiteSource that reads through it.
//
// SharedBrowser keeps only a weak reference: a browser lives while a SiteSource holds it, so
// a process that switched back to `http` (a daemon reload) closes its browser once every
// worker has rebuilt its source. A new browser is made only after the previous one is gone
// (both would use the same profile, which Chromium locks), and its options are those of the
// source that made it. The counts of browsers already closed are kept, so /metrics counters
// never go back.
//
// Before each fetch, probe or hot-list read the source starts the browser if it is not running
// (a no-op when it is): a browser that cannot start then fails that read at once, as
// `transient` with the reason, and SharedBrowser remembers the reason for /healthz.
#include <chrono>
#include <utility>

#include "fetch/sources/zhihu_listing.h"
#include "pipeline/backends.h"

namespace archivist::pipeline {
namespace {

class BrowserSource final : public SiteSource {
 public:
  BrowserSource(std::shared_ptr<browser::Browser> browser,
                std::unique_ptr<browser::BrowserZhihuSource> zhihu, SharedBrowser& shared)
      : browser_(std::move(browser)), zhihu_(std::move(zhihu)), shared_(shared) {}

  model::Snapshot Fetch(model::QuestionId id) override {
    if (Status st = shared_.Start(*browser_); !st.ok()) {
      model::Snapshot snap;
      snap.question.id = id;
      const fetch::zhihu::Failure f =
          fetch::zhihu::MakeFailure(model::Outcome::kTransient, 0, "browser: " + st.message());
      snap.outcome = f.outcome;
      snap.error = f.error;
      return snap;
    }
    return zhihu_->FetchQuestion(id);
  }

  model::ProbeResult Probe(model::AnswerId id) override {
    if (!shared_.Start(*browser_).ok()) return model::ProbeResult::kUnknown;
    return zhihu_->ProbeAnswer(id);
  }

  Result<std::vector<model::HotItem>> HotList() override {
    if (Status st = shared_.Start(*browser_); !st.ok()) {
      return Status::Unavailable("transient: browser: " + st.message());
    }
    return zhihu_->HotList();
  }

 private:
  std::shared_ptr<browser::Browser> browser_;  // before zhihu_, which borrows it
  std::unique_ptr<browser::BrowserZhihuSource> zhihu_;
  SharedBrowser& shared_;
};

void Add(SharedBrowser::Report& into, const browser::Browser::Stats& s) {
  into.starts += s.starts;
  into.crashes += s.crashes;
  into.page_loads += s.tabs_opened;
  into.requests_blocked += s.requests_blocked;
}

}  // namespace

SharedBrowser::SharedBrowser(Clock& clock, std::function<void(const std::string&)> warn)
    : clock_(clock), warn_(std::move(warn)) {}

SharedBrowser::~SharedBrowser() {
  // Every browser holds a pointer back here for its counts; a source that outlives its
  // SharedFetch is a bug, but it must not write into freed memory.
  std::unique_lock lock(mu_);
  retired_.wait(lock, [this] { return alive_ == 0; });
}

Result<std::shared_ptr<browser::Browser>> SharedBrowser::Get(
    const browser::BrowserOptions& options) {
  std::unique_lock lock(mu_);
  while (true) {
    if (std::shared_ptr<browser::Browser> live = current_.lock()) return live;
    if (alive_ == 0) break;
    retired_.wait(lock);  // the last one is closing and still holds the profile
  }
  ARCHIVIST_RETURN_IF_ERROR(browser::Browser::ValidateOptions(options));
  browser::BrowserOptions o = options;
  o.warn = warn_;
  std::shared_ptr<browser::Browser> made(new browser::Browser(clock_, std::move(o)),
                                         [this](browser::Browser* b) { Retire(b); });
  ++alive_;
  current_ = made;
  return made;
}

void SharedBrowser::Retire(browser::Browser* browser) {
  const browser::Browser::Stats stats = browser->stats();
  delete browser;  // closes it and kills what is left of its process group
  {
    std::lock_guard lock(mu_);
    Add(closed_, stats);
    --alive_;
  }
  retired_.notify_all();
}

Status SharedBrowser::Start(browser::Browser& browser) {
  Status st = browser.Start();
  std::lock_guard lock(mu_);
  start_error_ = st.ok() ? "" : st.message();
  return st;
}

SharedBrowser::Report SharedBrowser::report() const {
  std::shared_ptr<browser::Browser> live;  // released after the lock (it may be the last one)
  std::lock_guard lock(mu_);
  live = current_.lock();
  Report r = closed_;
  r.start_error = start_error_;
  r.in_use = live != nullptr;
  if (live) Add(r, live->stats());
  return r;
}

Result<std::unique_ptr<SiteSource>> MakeBrowserSource(const FetchSettings& settings,
                                                      const SharedFetch& shared) {
  const BrowserSettings& s = settings.browser;
  ARCHIVIST_RETURN_IF_ERROR(browser::BrowserZhihuSource::ValidateOptions(s.source));
  Result<std::string> exe = browser::ChromiumProcess::FindExecutable(s.browser.launch.executable);
  if (!exe.ok()) return Status::InvalidArgument(exe.status().message());
  Result<std::shared_ptr<browser::Browser>> b = shared.browser.Get(s.browser);
  if (!b.ok()) return b.status();
  browser::BrowserSourceOptions source = s.source;
  source.cancel = shared.cancel;
  Result<std::unique_ptr<browser::BrowserZhihuSource>> zhihu =
      browser::BrowserZhihuSource::Create(**b, shared.clock, std::move(source), &shared.politeness);
  if (!zhihu.ok()) return zhihu.status();
  return std::unique_ptr<SiteSource>(
      new BrowserSource(std::move(*b), std::move(*zhihu), shared.browser));
}

}  // namespace archivist::pipeline
