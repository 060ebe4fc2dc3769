// The real Refresher: one refresh pipeline (pipeline/pipeline.h) per worker thread, each with
// its own store connection and site source, all on the service's clock, politeness and
// keyword tagger (SharedPieces).
#include "daemon/pipeline_refresher.h"

#include <filesystem>

#include "pipeline/backends.h"
#include "pipeline/pipeline.h"
#include "store/sqlite_store.h"

namespace archivist::daemon {

namespace {

class PipelineRefresher final : public Refresher {
 public:
  PipelineRefresher(std::unique_ptr<store::SqliteStore> store,
                    std::unique_ptr<pipeline::SiteSource> source, const config::Config& c,
                    Clock& clock, pipeline::TagFunction tagger)
      : clock_(clock),
        store_(std::move(store)),
        source_(std::move(source)),
        pipeline_(*source_, *store_, clock, std::move(tagger), pipeline::PipelineOptionsOf(c)) {}

  RefreshResult Refresh(const store::ThreadKey& thread) override {
    const auto start = clock_.SteadyNow();
    const pipeline::RefreshSummary s = pipeline_.Refresh(thread);
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
        clock_.SteadyNow() - start);
    r.store_status = s.error;
    if (s.error.ok() && !s.export_error.ok()) {
      r.error += (r.error.empty() ? "" : "; ") + s.export_error.WithContext("export").ToString();
    }
    return r;
  }

 private:
  Clock& clock_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<pipeline::SiteSource> source_;
  pipeline::Pipeline pipeline_;
};

}  // namespace

RefresherFactory PipelineRefresherFactory() {
  return [](const config::Config& c,
            const SharedPieces& shared) -> Result<std::unique_ptr<Refresher>> {
    Result<std::unique_ptr<store::SqliteStore>> store = store::SqliteStore::Open(c.store_path);
    if (!store.ok()) return store.status().WithContext("opening the archive " + c.store_path);
    Result<std::unique_ptr<pipeline::SiteSource>> source = pipeline::MakeSiteSource(
        pipeline::FetchSettingsOf(c), shared.fetch());
    if (!source.ok()) return source.status();
    pipeline::TagFunction tagger;
    if (!c.export_dir.empty()) {
      // Like `archivist refresh --export-dir`: the directory is ours to create. Failing here
      // refuses the start (the service probes the factory before READY).
      std::error_code ec;
      std::filesystem::create_directories(c.export_dir, ec);
      if (ec || !std::filesystem::is_directory(c.export_dir)) {
        return Status::IoError("cannot create the export directory " + c.export_dir +
                               " (export.dir)" + (ec ? ": " + ec.message() : std::string()));
      }
      Result<pipeline::TagFunction> loaded = shared.tagger.Get();
      if (!loaded.ok()) return loaded.status();
      tagger = std::move(*loaded);
    }
    return std::unique_ptr<Refresher>(
        new PipelineRefresher(std::move(*store), std::move(*source), c, shared.clock,
                              std::move(tagger)));
  };
}

}  // namespace archivist::daemon
