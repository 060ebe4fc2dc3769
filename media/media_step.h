// media/media_step: fetches and stores the images a thread's revisions link, after its
// refresh committed (docs/media.md).
//
// The refresh links each new revision to the image URLs it shows (pending) in its own
// transaction (PipelineOptions::media_links, AllowedImageUrl). After the commit, the step asks
// the store for the thread's pending URLs that are due (new ones, and earlier ones whose
// back-off has passed), at most `budget` per refresh, fetches them through the same
// politeness and retries as the source (each image against its own host), and records each
// result in a transaction of its own: stored (by SHA-256, once), not_found (404, 410),
// forbidden (403), too_large (over max_size: the transfer is aborted, chunked bodies too),
// failed (not an image, a redirect to another host, another status, transient failures past
// kMaxAttempts) — or pending again after a transient failure, with back-off
// (kFirstBackOff · 4^(attempts-1), at most a day). A failure of the step never changes the
// refresh: it is reported in RefreshSummary::media only.
//
// No cookie and no header of the source is sent to an image host.
//
// Thread-safety: one MediaStep per worker thread (it owns its HTTP client); the Politeness and
// Clock are shared.
#ifndef ARCHIVIST_MEDIA_MEDIA_STEP_H_
#define ARCHIVIST_MEDIA_MEDIA_STEP_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/cancel.h"
#include "base/clock.h"
#include "base/status.h"
#include "config/config.h"
#include "fetch/curl_http_client.h"
#include "fetch/fetch_observer.h"
#include "fetch/politeness.h"
#include "fetch/retrying_http_client.h"
#include "pipeline/pipeline.h"
#include "store/store.h"

namespace archivist::media {

inline constexpr int kMaxAttempts = 6;
inline constexpr std::chrono::minutes kFirstBackOff{10};
inline constexpr int kBatch = 4;  // images fetched at once (different hosts in parallel)
inline constexpr int kCountLeft = 1000;  // MediaSummary::left counts at most this many

struct MediaOptions {
  std::vector<std::string> hosts = {"*.zhimg.com"};
  int64_t max_size = 20LL << 20;
  int budget = 200;
  std::string base_url;  // "" = as linked
};

// Whether images are fetched: [media] archive, and the source is the site itself or a media
// base URL is set. Answers read from another server (a mock, a mirror: --zhihu-base-url) name
// the real site's image hosts, which such a run must not reach; their images are linked and
// stay pending until a run that fetches them.
bool FetchesImages(const config::Config& config);

// [media] of the configuration.
MediaOptions MediaOptionsOf(const config::Config& config);

// What a response means for the image (pure; `attempts` counts earlier fetches).
store::MediaFetchRecord Classify(const std::string& url, const fetch::HttpResponse& response,
                                 int attempts, int64_t max_size, Timestamp now);

class MediaStep {
 public:
  // The HTTP client: [fetch] timeouts, retries, proxy and User-Agent; max_size as its body
  // cap; no cookie, no extra header. Fails when those options are unusable.
  static Result<std::unique_ptr<MediaStep>> Create(const config::Config& config, Clock& clock,
                                                   fetch::Politeness& politeness,
                                                   const CancelToken* cancel,
                                                   fetch::FetchObserver* observer);

  // Fetches the thread's due images (see the header comment).
  pipeline::MediaSummary Run(store::MediaStore& store, const store::ThreadKey& thread);

 private:
  MediaStep(MediaOptions options, Clock& clock, std::unique_ptr<fetch::CurlHttpClient> curl,
            fetch::Politeness& politeness, fetch::RetryOptions retry);

  MediaOptions options_;
  Clock& clock_;
  const CancelToken* cancel_;
  std::unique_ptr<fetch::CurlHttpClient> curl_;
  fetch::RetryingHttpClient client_;
};

// Sets `options.media_links` and `options.media_step` for the configuration: nothing when
// [media] archive is false, the links alone when !FetchesImages. The step's HTTP client is made here; the error names it.
Status AttachMedia(pipeline::PipelineOptions& options, const config::Config& config,
                   Clock& clock, fetch::Politeness& politeness, const CancelToken* cancel,
                   fetch::FetchObserver* observer);

}  // namespace archivist::media

#endif  // ARCHIVIST_MEDIA_MEDIA_STEP_H_
