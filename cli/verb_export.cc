// `archivist export <dir> [--at TIME]`: one <dir>/<question id>.md per thread archived at
// TIME (default now), each written atomically; threads not yet archived then are skipped.
// The directory is created when missing.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

#include "base/atomic_file.h"
#include "base/clock.h"
#include "cli/archive.h"

namespace archivist::cli {
namespace {

struct ExportArgs {
  std::string dir, at;
};

int RunExport(const ExportArgs& args, const GlobalOptions& global) {
  RealClock clock;
  Timestamp at = clock.WallNow();
  if (!args.at.empty()) {
    Result<Timestamp> t = ParseTime("--at", args.at);
    if (!t.ok()) return PrintError("export", t.status()), kExitUsage;
    at = *t;
  }
  auto archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) return PrintError("export", archive.status()), OpenArchiveExit(archive.status());
  std::error_code ec;
  std::filesystem::create_directories(args.dir, ec);
  if (ec || !std::filesystem::is_directory(args.dir)) {
    return PrintError("export", "cannot create the directory " + args.dir +
                                    (ec ? ": " + ec.message() : std::string())),
           kExitFailure;
  }
  auto threads = (*archive)->ListThreads();
  if (!threads.ok()) return PrintError("export", threads.status()), kExitFailure;
  auto tagger = LoadTagger();
  if (!tagger.ok()) return PrintError("export", tagger.status()), kExitFailure;
  int written = 0, skipped = 0;
  for (const store::ThreadSummary& t : *threads) {
    if (!t.first_archived || *t.first_archived > at) {
      ++skipped;
      continue;
    }
    Result<std::string> doc = pipeline::RenderThreadAt(**archive, t.key, at, *tagger);
    if (!doc.ok()) return PrintError("export", doc.status()), kExitFailure;
    const std::string path = pipeline::ExportPath(args.dir, t.key);
    if (Status st = WriteFileAtomically(path, *doc); !st.ok()) {
      return PrintError("export", st), kExitFailure;
    }
    ++written;
  }
  std::printf("exported %d threads to %s (%d not archived at %s)\n", written, args.dir.c_str(),
              skipped, at.ToIso8601().c_str());
  return kExitOk;
}

}  // namespace

void AddExportVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand("export", "one <dir>/<question id>.md per thread, as of TIME");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd->add_option("dir", args->dir, "output directory")->required();
  cmd->add_option("--at", args->at, "ISO 8601 time (default: now)");
  cmd->callback([args, &global, run] { *run = [args, &global] { return RunExport(*args, global); }; });
}

}  // namespace archivist::cli
