// The real Refresher: one refresh pipeline (pipeline/pipeline.h) per worker thread, each with
// its own store connection and site source, all on the service's clock, politeness and
// keyword tagger (SharedPieces).
#include "daemon/pipeline_refresher.h"

#include <filesystem>

#include "media/media_step.h"
#include "pipeline/backends.h"
#include "pipeline/pipeline.h"
#include "store/open.h"
#include "web/feeds.h"

namespace archivist::daemon {

namespace {

class PipelineRefresher final : public Refresher {
 public:
  PipelineRefresher(std::unique_ptr<store::Store> store,
                    std::unique_ptr<pipeline::SiteSource> source,
                    pipeline::PipelineOptions options, const SharedPieces& shared,
                    pipeline::TagFunction tagger)
      : store_(std::move(store)),
        source_(std::move(source)),
        pipeline_(*source_, *store_, shared.clock, std::move(tagger), std::move(options)) {}

  static pipeline::PipelineOptions OptionsOf(const config::Config& c, const CancelToken* cancel) {
    pipeline::PipelineOptions o = pipeline::PipelineOptionsOf(c);
    o.cancel = cancel;  // the daemon's stop: nothing of a cancelled refresh is stored
    o.export_more = web::FeedsBesideExports(c.export_dir, c.web.listen);
    return o;
  }

  pipeline::RefreshSummary Refresh(const store::ThreadKey& thread) override {
    return pipeline_.Refresh(thread);
  }

 private:
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<pipeline::SiteSource> source_;
  pipeline::Pipeline pipeline_;
};

}  // namespace

RefresherFactory PipelineRefresherFactory() {
  return [](const config::Config& c,
            const SharedPieces& shared) -> Result<std::unique_ptr<Refresher>> {
    Result<std::unique_ptr<store::Store>> store = store::OpenStore(c.store_path);
    if (!store.ok()) {
      return store.status().WithContext("opening the archive " + store::RedactLocation(c.store_path));
    }
    Result<std::unique_ptr<pipeline::SiteSource>> source = pipeline::MakeSiteSource(
        pipeline::FetchSettingsOf(c), shared.fetch());
    if (!source.ok()) return source.status();
    pipeline::TagFunction tagger;
    if (!c.export_dir.empty()) {
      // Like `archivist refresh --export-dir`: the directory is ours to create. Failing here
      // refuses the start (the service probes the factory before READY).
      if (Status st = pipeline::PrepareExportDir(c.export_dir, c.export_mode); !st.ok()) {
        return st.WithContext("export.dir");
      }
      Result<pipeline::TagFunction> loaded = shared.tagger.Get();
      if (!loaded.ok()) return loaded.status();
      tagger = std::move(*loaded);
    }
    pipeline::PipelineOptions options = PipelineRefresher::OptionsOf(c, shared.cancel);
    // The images of each refresh, fetched by this worker after its commit (docs/media.md).
    if (Status st = media::AttachMedia(options, c, shared.clock, shared.politeness,
                                       shared.cancel, shared.observer);
        !st.ok()) {
      return st;
    }
    return std::unique_ptr<Refresher>(
        new PipelineRefresher(std::move(*store), std::move(*source), std::move(options), shared,
                              std::move(tagger)));
  };
}

}  // namespace archivist::daemon
