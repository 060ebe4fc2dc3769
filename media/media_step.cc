// The media step: the pending images of one thread, fetched in small batches and recorded
// one result per transaction (see media_step.h). A result is classified from the response
// alone: the transport error first (too large, cancelled, transient), then a refused
// redirect, then the HTTP status, then the Content-Type, which must be image/*; a 200 whose
// type says image is stored as served, named by the SHA-256 of its bytes.
#include "media/media_step.h"

#include <algorithm>

#include "base/bounded_text.h"
#include "media/media_urls.h"
#include "media/sha256.h"
#include "pipeline/backends.h"

namespace archivist::media {
namespace {

std::string MediaTypeOf(std::string_view content_type) {
  std::string type(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  for (char& c : type) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return type;
}

bool TransientStatus(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

// Pending again (after back-off) while attempts remain, else failed with `reason`.
void RetryOrFail(store::MediaFetchRecord& r, int attempts, Timestamp now, std::string reason) {
  r.reason = BoundText(reason, 200);
  if (attempts + 1 >= kMaxAttempts) {
    r.status = store::MediaStatus::kFailed;
    r.reason += " (gave up after " + std::to_string(attempts + 1) + " attempts)";
    return;
  }
  r.status = store::MediaStatus::kPending;
  auto wait = std::chrono::duration_cast<std::chrono::microseconds>(kFirstBackOff);
  for (int i = 0; i < attempts; ++i) wait *= 4;
  wait = std::min<std::chrono::microseconds>(wait, std::chrono::hours(24));
  r.next_try = Timestamp::FromMicros(now.micros() + wait.count());
}

}  // namespace

bool FetchesImages(const config::Config& c) {
  return c.media.archive &&
         (!c.media.base_url.empty() || c.zhihu.base_url == config::ZhihuConfig{}.base_url);
}

MediaOptions MediaOptionsOf(const config::Config& c) {
  return {c.media.hosts, c.media.max_size, c.media.budget, c.media.base_url};
}

store::MediaFetchRecord Classify(const std::string& url, const fetch::HttpResponse& r,
                                 int attempts, int64_t max_size, Timestamp now) {
  using store::MediaStatus;
  store::MediaFetchRecord out;
  out.url = url;
  out.at = now;
  out.http_status = r.status;
  if (r.error == fetch::TransportError::kTooLarge) {
    out.status = MediaStatus::kTooLarge;
    out.reason = "larger than media.max_size (" + std::to_string(max_size) + " bytes)";
    return out;
  }
  if (!r.transport_ok()) {
    RetryOrFail(out, attempts, now,
                std::string(fetch::TransportErrorName(r.error)) + ": " + r.error_message);
    return out;
  }
  if (!r.redirect_refused.empty()) {
    out.status = MediaStatus::kFailed;
    out.reason = "redirected to another host: " + BoundText(r.redirect_refused, 200);
    return out;
  }
  if (r.status == 404 || r.status == 410) {
    out.status = MediaStatus::kNotFound;
    out.reason = "HTTP " + std::to_string(r.status);
    return out;
  }
  if (r.status == 403) {
    out.status = MediaStatus::kForbidden;
    out.reason = "HTTP 403";
    return out;
  }
  if (TransientStatus(r.status)) {
    RetryOrFail(out, attempts, now, "HTTP " + std::to_string(r.status));
    return out;
  }
  if (r.status != 200) {
    out.status = MediaStatus::kFailed;
    out.reason = "HTTP " + std::to_string(r.status);
    return out;
  }
  const std::string type = MediaTypeOf(BoundText(r.Header("content-type"), 100));
  if (type.rfind("image/", 0) != 0) {
    out.status = MediaStatus::kFailed;
    out.reason = "not an image: Content-Type " + BoundText(type.empty() ? "(none)" : type, 100);
    return out;
  }
  if (static_cast<int64_t>(r.body.size()) > max_size) {
    out.status = MediaStatus::kTooLarge;
    out.reason = "larger than media.max_size (" + std::to_string(max_size) + " bytes)";
    return out;
  }
  if (r.body.empty()) {
    out.status = MediaStatus::kFailed;
    out.reason = "empty body";
    return out;
  }
  out.status = MediaStatus::kStored;
  out.sha256 = Sha256Hex(r.body);
  out.media_type = type;
  out.data = r.body;
  return out;
}

MediaStep::MediaStep(MediaOptions options, Clock& clock,
                     std::unique_ptr<fetch::CurlHttpClient> curl, fetch::Politeness& politeness,
                     fetch::RetryOptions retry)
    : options_(std::move(options)), clock_(clock), cancel_(retry.cancel), curl_(std::move(curl)),
      client_(*curl_, clock, politeness, retry) {}

Result<std::unique_ptr<MediaStep>> MediaStep::Create(const config::Config& config, Clock& clock,
                                                     fetch::Politeness& politeness,
                                                     const CancelToken* cancel,
                                                     fetch::FetchObserver* observer) {
  const pipeline::FetchSettings source = pipeline::FetchSettingsOf(config);
  fetch::CurlOptions curl;
  curl.connect_timeout = source.curl.connect_timeout;
  curl.timeout = source.curl.timeout;
  curl.user_agent = source.curl.user_agent;
  curl.proxy = source.curl.proxy;
  curl.max_body = static_cast<size_t>(config.media.max_size);
  curl.cancel = cancel;
  Result<std::unique_ptr<fetch::CurlHttpClient>> client = fetch::CurlHttpClient::Create(curl);
  if (!client.ok()) return client.status().WithContext("the media client");
  fetch::RetryOptions retry = source.retry;
  retry.cancel = cancel;
  retry.observer = observer;
  return std::unique_ptr<MediaStep>(
      new MediaStep(MediaOptionsOf(config), clock, std::move(*client), politeness, retry));
}

pipeline::MediaSummary MediaStep::Run(store::MediaStore& store, const store::ThreadKey& thread) {
  pipeline::MediaSummary s;
  Result<std::vector<store::MediaTask>> due =
      store.DueMedia(thread, clock_.WallNow(), options_.budget + kCountLeft);
  if (!due.ok()) {
    s.error = due.status();
    return s;
  }
  if (static_cast<int>(due->size()) > options_.budget) {
    s.left = static_cast<int>(due->size()) - options_.budget;
    due->resize(options_.budget);
  }
  for (size_t start = 0; start < due->size(); start += kBatch) {
    if (Cancelled(cancel_)) return s;
    const size_t end = std::min(due->size(), start + kBatch);
    std::vector<fetch::HttpRequest> requests;
    for (size_t i = start; i < end; ++i) {
      requests.push_back({WithBaseUrl((*due)[i].url, options_.base_url), {}});
    }
    const std::vector<fetch::HttpResponse> responses = client_.PerformAll(requests);
    for (size_t i = start; i < end; ++i) {
      const fetch::HttpResponse& r = responses[i - start];
      if (r.error == fetch::TransportError::kCancelled) return s;  // nothing learned
      const store::MediaFetchRecord record =
          Classify((*due)[i].url, r, (*due)[i].attempts, options_.max_size, clock_.WallNow());
      if (Status st = store.RecordMediaFetch(record); !st.ok()) {
        s.error = st;
        return s;
      }
      if (record.status == store::MediaStatus::kStored) ++s.stored;
      else if (record.status == store::MediaStatus::kPending) ++s.retry;
      else ++s.failed;
    }
  }
  return s;
}

Status AttachMedia(pipeline::PipelineOptions& options, const config::Config& config,
                   Clock& clock, fetch::Politeness& politeness, const CancelToken* cancel,
                   fetch::FetchObserver* observer) {
  if (!config.media.archive) return Status::Ok();
  options.media_links = [hosts = config.media.hosts](std::string_view url) {
    return AllowedImageUrl(url, hosts);
  };
  if (!FetchesImages(config)) return Status::Ok();
  Result<std::unique_ptr<MediaStep>> step =
      MediaStep::Create(config, clock, politeness, cancel, observer);
  if (!step.ok()) return step.status();
  options.media_step = [shared = std::shared_ptr<MediaStep>(std::move(*step))](
                           store::Store& store, const store::ThreadKey& thread) {
    return shared->Run(store, thread);
  };
  return Status::Ok();
}

}  // namespace archivist::media
