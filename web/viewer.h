// web/viewer: everything `archivist serve` and the daemon's [web] listen need to run the
// viewer — the archive opened read-only, the jieba segmenter for diffs, the Site and the
// Server — in one object that stops the server before it releases the rest.
//
// Thread-safety: construct and destroy on one thread; the server's threads use the Site.
#ifndef ARCHIVIST_WEB_VIEWER_H_
#define ARCHIVIST_WEB_VIEWER_H_

#include <memory>
#include <string>

#include "base/status.h"
#include "store/store.h"
#include "web/server.h"
#include "web/site.h"

namespace archivist::web {

class Viewer {
 public:
  // Opens the archive at `db_path` read-only (it must exist) and serves it on `listen`.
  // kInvalidArgument for a bad address, kUnavailable when it cannot be bound, the store's
  // error when the archive cannot be opened.
  static Result<std::unique_ptr<Viewer>> Start(const std::string& db_path,
                                               const std::string& listen);
  ~Viewer();

  int port() const { return server_->port(); }
  // "http://127.0.0.1:9185/": where a person opens it.
  const std::string& url() const { return url_; }

 private:
  Viewer() = default;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Site> site_;
  std::unique_ptr<Server> server_;
  std::string url_;
};

// "" for a loopback address; else one sentence: the whole archive is readable by every host
// that can reach `listen`.
std::string ViewerExposureWarning(const std::string& listen);

inline constexpr char kDefaultListen[] = "127.0.0.1:9185";

}  // namespace archivist::web

#endif  // ARCHIVIST_WEB_VIEWER_H_
