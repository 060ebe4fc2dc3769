// pipeline/backends: the one place that builds the way to a site for the configured backend.
//
// A backend is a way of reaching the site. There is one, `http`: CurlHttpClient (libcurl) →
// RetryingHttpClient (retries, and the shared Politeness) → fetch::ZhihuSource. Everything
// that fetches — the daemon's refreshers and its hot-list poll, `archivist refresh`,
// `archivist fetch` — gets its SiteSource from MakeSiteSource, so nothing else assembles
// that stack.
//
// Ownership: each worker thread gets its own SiteSource (its own connections). What a
// process has exactly one of — the clock, the per-host Politeness — is made once by the
// process's owner (the daemon's Service; a CLI verb, on its stack) and lent to every
// SiteSource through SharedFetch, so the per-host limits hold across all refreshers and the
// hot list together. A second backend (a headless browser driving the question page) adds
// its own one-per-process piece (the browser process) to SharedFetch and its branch to
// MakeSiteSource; the pipeline, the daemon and the verbs do not change (docs/design.md).
//
// Thread-safety: FetchSettingsOf and PolitenessOptionsOf are pure; MakeSiteSource may be
// called on any thread; a SiteSource is used by one thread at a time.
#ifndef ARCHIVIST_PIPELINE_BACKENDS_H_
#define ARCHIVIST_PIPELINE_BACKENDS_H_

#include <memory>

#include "base/clock.h"
#include "base/status.h"
#include "config/config.h"
#include "fetch/curl_http_client.h"
#include "fetch/politeness.h"
#include "fetch/retrying_http_client.h"
#include "fetch/sources/zhihu_source.h"
#include "pipeline/source.h"

namespace archivist::pipeline {

// One thread's way to the site: the pipeline fetches and probes through it, discovery
// polls the hot list.
class SiteSource : public Source, public HotListSource {};

// The one-per-process pieces every SiteSource borrows; they must outlive it.
struct SharedFetch {
  Clock& clock;                   // every wait, backoff and timestamp of a fetch
  fetch::Politeness& politeness;  // per-host limits across all workers of the process
};

// How to reach the site: the configuration's [fetch] and [zhihu], which a verb may adjust
// where it has options the configuration does not (--retries, --header, --max-pages, …).
struct FetchSettings {
  fetch::CurlOptions curl;
  fetch::RetryOptions retry;
  fetch::ZhihuOptions zhihu;
};

FetchSettings FetchSettingsOf(const config::Config& config);
fetch::PolitenessOptions PolitenessOptionsOf(const config::Config& config);

// Fails (kInvalidArgument, naming the option) when the settings are unusable: an unreadable
// cookies file, a page size out of range, a base URL that is not http(s).
Result<std::unique_ptr<SiteSource>> MakeSiteSource(const FetchSettings& settings,
                                                   const SharedFetch& shared);

}  // namespace archivist::pipeline

#endif  // ARCHIVIST_PIPELINE_BACKENDS_H_
