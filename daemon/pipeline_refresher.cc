// The real Refresher: one refresh pipeline (daemon/pipeline.h) per worker thread, each with
// its own store connection and HTTP client, all sharing one Politeness (per-host limits are
// per process) and one keyword tagger (loaded once: ~25 ms warm, ~0.7 s cold).
#include "daemon/pipeline_refresher.h"

#include <filesystem>
#include <mutex>

#include "daemon/fetch_options.h"
#include "daemon/pipeline.h"
#include "daemon/source.h"
#include "fetch/curl_http_client.h"
#include "fetch/politeness.h"
#include "fetch/retrying_http_client.h"
#include "fetch/sources/zhihu_source.h"
#include "store/sqlite_store.h"
#include "tags/jieba.h"

namespace archivist::daemon {

namespace {

// Process-wide pieces. The Politeness keeps its first options until the process restarts:
// changing per-host limits while requests are in flight under the old ones is not supported
// (docs/operations.md).
RealClock& SharedClock() {
  static RealClock clock;
  return clock;
}

fetch::Politeness& SharedPoliteness(const config::Config& c) {
  static std::once_flag once;
  static std::unique_ptr<fetch::Politeness> politeness;
  std::call_once(once, [&] {
    politeness = std::make_unique<fetch::Politeness>(SharedClock(), PolitenessOptionsOf(c));
  });
  return *politeness;
}

Result<TagFunction> SharedTagger() {
  static std::mutex mu;
  static std::shared_ptr<const tags::Jieba> jieba;
  std::lock_guard lock(mu);
  if (!jieba) {
    Result<std::unique_ptr<tags::Jieba>> loaded = tags::Jieba::Load({});
    if (!loaded.ok()) return loaded.status().WithContext("loading the keyword tagger");
    jieba = std::move(*loaded);
  }
  std::shared_ptr<const tags::Jieba> shared = jieba;
  return TagFunction([shared](std::string_view text) { return shared->ExtractTags(text, 5); });
}

class PipelineRefresher final : public Refresher {
 public:
  PipelineRefresher(std::unique_ptr<store::SqliteStore> store,
                    std::unique_ptr<fetch::CurlHttpClient> curl, const config::Config& c,
                    TagFunction tagger)
      : store_(std::move(store)),
        curl_(std::move(curl)),
        retrying_(*curl_, SharedClock(), SharedPoliteness(c), RetryOptionsOf(c)),
        zhihu_(retrying_, SharedClock(), ZhihuOptionsOf(c)),
        source_(zhihu_),
        pipeline_(source_, *store_, SharedClock(), std::move(tagger), PipelineOptionsOf(c)) {}

  RefreshResult Refresh(const store::ThreadKey& thread) override {
    const auto start = SharedClock().SteadyNow();
    const RefreshSummary s = pipeline_.Refresh(thread);
    RefreshResult r;
    r.outcome = s.outcome;
    // A complete listing means every response was a 200; otherwise the failing one's status.
    r.http_status = s.outcome == model::Outcome::kComplete && s.fetch_error.http_status == 0
                        ? 200
                        : s.fetch_error.http_status;
    r.retry_after_seconds = s.retry_after_seconds;
    if (s.outcome != model::Outcome::kComplete) {
      r.error = s.fetch_error.message.empty() ? std::string(model::OutcomeName(s.outcome))
                                              : s.fetch_error.message;
    }
    r.pages = s.pages;
    r.skipped_items = s.skipped_items;
    r.answers = s.answers_now;
    r.events_of(model::EventKind::kAnswerAdded) = s.added;
    r.events_of(model::EventKind::kAnswerEdited) = s.edited;
    r.events_of(model::EventKind::kAnswerDeleted) = s.deleted;
    r.events_of(model::EventKind::kAnswerRestored) = s.restored;
    r.events_of(model::EventKind::kTitleChanged) = s.title_changed ? 1 : 0;
    r.events_of(model::EventKind::kThreadAdded) = s.thread_added ? 1 : 0;
    r.events_of(model::EventKind::kThreadGone) = s.thread_gone ? 1 : 0;
    // The whole refresh (fetch, probes, commit); the pipeline does not time the fetch alone.
    r.fetch_duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        SharedClock().SteadyNow() - start);
    r.store_status = s.error;
    if (s.error.ok() && !s.export_error.ok()) {
      r.error += (r.error.empty() ? "" : "; ") + s.export_error.WithContext("export").ToString();
    }
    return r;
  }

 private:
  static PipelineOptions PipelineOptionsOf(const config::Config& c) {
    PipelineOptions o;
    o.classify.delete_confirmations = c.schedule.delete_confirmations;
    o.normalize.image_proxy = c.zhihu.image_proxy;
    o.export_dir = c.export_dir;
    return o;
  }

  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<fetch::CurlHttpClient> curl_;
  fetch::RetryingHttpClient retrying_;
  fetch::ZhihuSource zhihu_;
  ZhihuSourceAdapter source_;
  Pipeline pipeline_;
};

}  // namespace

RefresherFactory PipelineRefresherFactory() {
  return [](const config::Config& c) -> Result<std::unique_ptr<Refresher>> {
    Result<std::unique_ptr<store::SqliteStore>> store = store::SqliteStore::Open(c.store_path);
    if (!store.ok()) return store.status().WithContext("opening the archive " + c.store_path);
    Result<std::unique_ptr<fetch::CurlHttpClient>> curl =
        fetch::CurlHttpClient::Create(CurlOptionsOf(c));
    if (!curl.ok()) return curl.status();
    TagFunction tagger;
    if (!c.export_dir.empty()) {
      // Like `archivist refresh --export-dir`: the directory is ours to create. Failing here
      // refuses the start (the service probes the factory before READY).
      std::error_code ec;
      std::filesystem::create_directories(c.export_dir, ec);
      if (ec || !std::filesystem::is_directory(c.export_dir)) {
        return Status::IoError("cannot create the export directory " + c.export_dir +
                               " (export.dir)" + (ec ? ": " + ec.message() : std::string()));
      }
      Result<TagFunction> loaded = SharedTagger();
      if (!loaded.ok()) return loaded.status();
      tagger = std::move(*loaded);
    }
    return std::unique_ptr<Refresher>(
        new PipelineRefresher(std::move(*store), std::move(*curl), c, std::move(tagger)));
  };
}

}  // namespace archivist::daemon
