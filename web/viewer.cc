#include "web/viewer.h"

#include "config/listen_address.h"
#include "store/open.h"
#include "tags/jieba.h"

namespace archivist::web {
namespace {

// jieba's words for Han runs in diffs; per character when its data cannot be loaded.
diff::Segmenter LoadSegmenter() {
  Result<std::unique_ptr<tags::Jieba>> jieba = tags::Jieba::Load({});
  if (!jieba.ok()) return {};
  std::shared_ptr<const tags::Jieba> shared(std::move(*jieba));
  return [shared](std::string_view run) {
    Result<std::vector<std::string>> words = shared->Cut(run);
    return words.ok() ? std::move(*words) : std::vector<std::string>();
  };
}

}  // namespace

Result<std::unique_ptr<Viewer>> Viewer::Start(const std::string& db_path,
                                              const std::string& listen) {
  Result<config::ListenAddress> address = config::ParseListenAddress(listen);
  if (!address.ok()) return address.status();
  store::OpenOptions options;
  options.read_only = true;
  options.create = false;
  Result<std::unique_ptr<store::Store>> opened = store::OpenStore(db_path, options);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<Viewer> viewer(new Viewer());
  viewer->store_ = std::move(*opened);
  SiteOptions site_options;
  site_options.fallback_host = address->ToString();
  site_options.segment = LoadSegmenter();
  viewer->site_ = std::make_unique<Site>(*viewer->store_, std::move(site_options));
  Result<std::unique_ptr<Server>> server = Server::Start(listen, *viewer->site_);
  if (!server.ok()) return server.status();
  viewer->server_ = std::move(*server);
  viewer->site_->SetFallbackHost(address->WithPort(viewer->server_->port()));
  viewer->url_ = "http://" + address->WithPort(viewer->server_->port()) + "/";
  return viewer;
}

Viewer::~Viewer() {
  if (server_) server_->Stop();
}

std::string ViewerExposureWarning(const std::string& listen) {
  Result<config::ListenAddress> address = config::ParseListenAddress(listen);
  if (!address.ok() || address->loopback) return "";
  return "the viewer " + address->ToString() + " is " +
         (address->any ? "on every network interface" : "on a non-loopback address") +
         ": the whole archive is readable without authentication by every host that can reach "
         "it (use 127.0.0.1:PORT unless a firewall or a proxy guards it)";
}

}  // namespace archivist::web
