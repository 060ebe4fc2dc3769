// `archivist export <dir> [--at TIME]`: one <dir>/<question id>.md per thread archived at
// TIME (default now), each written atomically; threads not yet archived then are skipped.
// The directory is created when missing; files and folder get export.mode
// (pipeline/document.h PrepareExportDir). A thread that cannot be rendered or written is
// reported and the others are still exported; the exit status is then 1.
// The Atom feeds of the viewer (web/feeds.h) are written beside them, DIR/feeds/all.atom and
// DIR/feeds/<question id>.atom, their links under --base-url (the viewer's address).
// With --media local, every stored image a document shows is written to DIR/media/<sha256>.<ext>
// and the document links it there (relative: media/…); the default keeps the links as stored
// (docs/media.md).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <system_error>

#include "base/atomic_file.h"
#include "base/clock.h"
#include "cli/archive.h"
#include "cli/load_config.h"
#include "media/local_media.h"
#include "web/feeds.h"
#include "web/viewer.h"

namespace archivist::cli {
namespace {

struct ExportArgs {
  std::string dir, at;
  std::string media = "links";
  std::string base_url = std::string("http://") + web::kDefaultListen;
};

int RunExport(const ExportArgs& args, const GlobalOptions& global) {
  RealClock clock;
  Timestamp at = clock.WallNow();
  if (!args.at.empty()) {
    Result<Timestamp> t = ParseTime("--at", args.at);
    if (!t.ok()) return PrintError("export", t.status()), kExitUsage;
    at = *t;
  }
  std::string base_url = args.base_url;
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  if (!base_url.starts_with("http://") && !base_url.starts_with("https://")) {
    return PrintError("export", "--base-url \"" + args.base_url + "\" must start with http:// or https://"),
           kExitUsage;
  }
  if (args.media != "links" && args.media != "local") {
    return PrintError("export", "--media must be \"links\" or \"local\", not \"" + args.media + "\""),
           kExitUsage;
  }
  auto archive = OpenArchiveToRead(global, "export");
  if (!archive.ok()) return PrintError("export", archive.status()), OpenArchiveExit(archive.status());
  // The files and the folder get export.mode, as the refreshes' exports do.
  const Result<config::Config> config = LoadEffectiveConfig(global);
  const unsigned mode = config.ok() ? config->export_mode : pipeline::kDefaultExportMode;
  if (Status st = pipeline::PrepareExportDir(args.dir, mode); !st.ok()) {
    return PrintError("export", st), kExitFailure;
  }
  auto threads = (*archive)->ListThreads();
  if (!threads.ok()) return PrintError("export", threads.status()), kExitFailure;
  auto tagger = LoadTagger();
  if (!tagger.ok()) return PrintError("export", tagger.status()), kExitFailure;
  AtomicWriteOptions media_write;
  media_write.keep = (*archive)->Files();
  media_write.mode = mode;
  std::optional<media::LocalMedia> local;
  if (args.media == "local") {
    local.emplace(**archive, args.dir + "/media", "media/",
                  normalize::ImageLinkForms(config.ok() ? config->zhihu.image_proxy
                                               : std::string(normalize::kDefaultImageProxy)),
                  media_write);
  }
  int written = 0, skipped = 0, failed = 0;
  for (const store::ThreadSummary& t : *threads) {
    if (!t.first_archived || *t.first_archived > at) {
      ++skipped;
      continue;
    }
    Result<std::string> doc = pipeline::RenderThreadAt(
        **archive, t.key, at, *tagger, {}, local ? local->For(t.key) : pipeline::MarkdownRewrite());
    AtomicWriteOptions write;
    write.keep = (*archive)->Files();  // never the archive itself, under any name
    write.mode = mode;
    const Status st = doc.ok() ? WriteFileAtomically(pipeline::ExportPath(args.dir, t.key), *doc,
                                                     write)
                               : doc.status();
    if (!st.ok()) {
      PrintError("export", st.WithContext(std::to_string(t.key.id)));
      ++failed;
      continue;
    }
    ++written;
  }
  AtomicWriteOptions write;
  write.keep = (*archive)->Files();
  Result<int> feeds = web::WriteFeeds(**archive, args.dir, base_url, write);
  if (!feeds.ok()) {
    PrintError("export", feeds.status().WithContext("feeds"));
    ++failed;
  }
  std::printf("exported %d threads to %s (%d not archived at %s%s)\n", written, args.dir.c_str(),
              skipped, HumanTime(at).c_str(),
              failed == 0 ? "" : ("; " + std::to_string(failed) + " failed").c_str());
  return failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace

void AddExportVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand("export", "one <dir>/<question id>.md per thread, as of TIME");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd->add_option("dir", args->dir, "output directory")->required();
  cmd->add_option("--at", args->at, "TIME: ISO 8601, or 24h, 7d, today, yesterday (default: now)");
  cmd->add_option("--media", args->media,
                  "links: image links as stored (default); local: DIR/media/<sha256>.<ext>, "
                  "linked relatively");
  cmd->add_option("--base-url", args->base_url,
                  "the viewer's address for the feeds' links (default http://127.0.0.1:9185)");
  cmd->callback([args, &global, run] { *run = [args, &global] { return RunExport(*args, global); }; });
}

}  // namespace archivist::cli
