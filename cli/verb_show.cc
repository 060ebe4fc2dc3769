// `archivist show <question> [--at TIME]`: the thread's document as it was at TIME (default
// now), docs/format.md §1 with the keyword tags of §4 — byte for byte what an export written at
// that time contained (pipeline/document.h). On a terminal, control characters of the text
// are shown as escapes instead (cli/archive.h WriteLayoutText).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "base/clock.h"
#include "cli/archive.h"

namespace archivist::cli {
namespace {

struct ShowArgs {
  std::string question, at;
};

int RunShow(const ShowArgs& args, const GlobalOptions& global) {
  Result<store::ThreadKey> key = ParseQuestion(args.question);
  if (!key.ok()) return PrintError("show", key.status()), kExitUsage;
  RealClock clock;
  Timestamp at = clock.WallNow();
  if (!args.at.empty()) {
    Result<Timestamp> t = ParseTime("--at", args.at);
    if (!t.ok()) return PrintError("show", t.status()), kExitUsage;
    at = *t;
  }
  auto archive = OpenArchiveToRead(global, "show");
  if (!archive.ok()) return PrintError("show", archive.status()), OpenArchiveExit(archive.status());
  if (Status st = RequireThread(**archive, *key); !st.ok()) {
    return PrintError("show", st), ExitFor(st, true);
  }
  auto tagger = LoadTagger();
  if (!tagger.ok()) return PrintError("show", tagger.status()), kExitFailure;
  Result<std::string> doc = pipeline::RenderThreadAt(**archive, *key, at, *tagger);
  if (!doc.ok()) return PrintError("show", doc.status()), kExitFailure;
  return WriteLayoutText(*doc) ? kExitOk : kExitFailure;
}

}  // namespace

void AddShowVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* cmd = app.add_subcommand("show", "the thread's document as it was at TIME");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd->add_option("question", args->question, "question URL or id")->required();
  cmd->add_option("--at", args->at, "TIME: ISO 8601, or 24h, 7d, today, yesterday (default: now)");
  cmd->callback([args, &global, run] { *run = [args, &global] { return RunShow(*args, global); }; });
}

}  // namespace archivist::cli
