// pipeline/backends: the one place that builds the way to a site for the configured backend.
//
// A backend is a way of reaching the site (`[fetch] backend`, `--backend`):
//  - `http`: CurlHttpClient (libcurl) → RetryingHttpClient (retries, and the shared
//    Politeness) → fetch::ZhihuSource, which asks the JSON API;
//  - `browser`: browser::BrowserZhihuSource, which reads the question page in the process's
//    one headless Chromium (browser::Browser) and captures what the page receives, paced by
//    the same Politeness (docs/browser.md).
// Everything that fetches — the daemon's refreshers and its hot-list poll, `archivist
// refresh`, `archivist fetch` — gets its SiteSource from MakeSiteSource, so nothing else
// assembles either stack, and the pipeline does not know which one it reads through.
//
// Ownership: each worker thread gets its own SiteSource. What a process has exactly one of —
// the clock, the per-host Politeness, the browser — is made once by the process's owner (the
// daemon's Service; a CLI verb, on its stack) and lent to every SiteSource through
// SharedFetch, so the per-host limits hold across all refreshers and the hot list together.
// The browser is made lazily by SharedBrowser on the first browser-backed SiteSource (an
// `http` process never starts one) and lives while a SiteSource uses it.
//
// Thread-safety: FetchSettingsOf and PolitenessOptionsOf are pure; MakeSiteSource and every
// SharedBrowser method may be called on any thread; a SiteSource is used by one thread at a
// time.
#ifndef ARCHIVIST_PIPELINE_BACKENDS_H_
#define ARCHIVIST_PIPELINE_BACKENDS_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "base/cancel.h"
#include "base/clock.h"
#include "base/status.h"
#include "browser/browser.h"
#include "browser/zhihu_browser_source.h"
#include "config/config.h"
#include "fetch/curl_http_client.h"
#include "fetch/politeness.h"
#include "fetch/retrying_http_client.h"
#include "fetch/sources/zhihu_source.h"
#include "pipeline/source.h"

namespace archivist::pipeline {

enum class Backend { kHttp, kBrowser };

// "http" or "browser"; otherwise kInvalidArgument naming both.
Result<Backend> ParseBackend(std::string_view name);
std::string_view BackendName(Backend backend);

// One thread's way to the site: the pipeline fetches and probes through it, discovery
// polls the hot list.
class SiteSource : public Source, public HotListSource {};

// The process's one browser, made on first use and shared by every browser-backed
// SiteSource. Counts what every browser it made did, for /metrics and /healthz.
class SharedBrowser {
 public:
  // `warn` receives the browser's warnings (e.g. that its sandbox is off); may be empty.
  SharedBrowser(Clock& clock, std::function<void(const std::string&)> warn);
  // Every browser it made must be gone by then (they close when their last SiteSource goes).
  ~SharedBrowser();
  SharedBrowser(const SharedBrowser&) = delete;
  SharedBrowser& operator=(const SharedBrowser&) = delete;

  // The browser that is alive, whatever `options` say (its options change only when it has
  // closed: two browsers on one profile would fight over it), or a new one made with
  // `options` (it starts on its first tab). Fails when the options are unusable.
  Result<std::shared_ptr<browser::Browser>> Get(const browser::BrowserOptions& options);

  // Starts `browser` when it is not running and remembers the result for Report.
  Status Start(browser::Browser& browser);

  struct Report {
    uint64_t starts = 0;      // successful launches
    uint64_t crashes = 0;     // times a browser was found dead
    uint64_t page_loads = 0;  // pages opened (each fetch, probe and hot-list read opens one)
    uint64_t requests_blocked = 0;
    bool in_use = false;      // a browser is held by a source now (it may not be started)
    std::string start_error;  // why the last start failed ("" when it did not)
  };
  Report report() const;

 private:
  void Retire(browser::Browser* browser);

  Clock& clock_;
  const std::function<void(const std::string&)> warn_;
  mutable std::mutex mu_;
  std::condition_variable retired_;
  std::weak_ptr<browser::Browser> current_;
  int alive_ = 0;        // browsers made and not yet destroyed (0 or 1)
  Report closed_;        // the counts of browsers already destroyed
  std::string start_error_;
};

// The one-per-process pieces every SiteSource borrows; they must outlive it.
struct SharedFetch {
  Clock& clock;                   // every wait, backoff and timestamp of a fetch
  fetch::Politeness& politeness;  // per-host limits across all workers of the process
  SharedBrowser& browser;         // the browser backend's browser
  // The process's stop (the daemon's SIGTERM): transfers and retry waits end at once when it
  // is cancelled. Null: never cancelled.
  const CancelToken* cancel = nullptr;
  // Told of every request, retry and wait of the `http` backend (fetch/fetch_observer.h): the
  // daemon logs and counts them, the one-shot verbs print them. Null: nobody is told.
  fetch::FetchObserver* observer = nullptr;
};

// The browser backend's options: the browser process and the page reading.
struct BrowserSettings {
  browser::BrowserOptions browser;
  browser::BrowserSourceOptions source;
};

// How to reach the site: the configuration's [fetch] and [zhihu], which a verb may adjust
// where it has options the configuration does not (--retries, --header, --max-pages, …).
struct FetchSettings {
  Backend backend = Backend::kHttp;
  fetch::CurlOptions curl;
  fetch::RetryOptions retry;
  fetch::ZhihuOptions zhihu;
  BrowserSettings browser;
};

FetchSettings FetchSettingsOf(const config::Config& config);
fetch::PolitenessOptions PolitenessOptionsOf(const config::Config& config);
// The browser launch of the configuration (fetch.browser, browser_user, browser_sandbox,
// browser_jit, browser_profile, browser_user_agent, proxy), shared by the browser backend and
// `archivist login`.
browser::ChromiumLaunch BrowserLaunchOf(const config::Config& config);

// Whether a browser made for `a` is the one `b` would make (launch, tabs, allowed hosts): when
// not, a running browser keeps `a`'s until it closes (SharedBrowser::Get).
bool SameBrowser(const FetchSettings& a, const FetchSettings& b);

// Fails (kInvalidArgument, naming the option) when the settings are unusable: an unreadable
// cookies file, a page size out of range, a base URL that is not http(s), and for the browser
// backend a browser that is not installed (naming Debian's package). Starts no browser.
Result<std::unique_ptr<SiteSource>> MakeSiteSource(const FetchSettings& settings,
                                                   const SharedFetch& shared);

}  // namespace archivist::pipeline

#endif  // ARCHIVIST_PIPELINE_BACKENDS_H_
