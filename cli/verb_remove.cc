// `archivist remove <question>...`: stop tracking; the history is kept (tracking = removed).
// Every question must be in the archive, checked before anything changes. A removal sticks:
// the configuration's [[thread]] list adds only threads the archive has never seen
// (pipeline/discovery.h), so a removed thread it lists is not tracked again, and remove says
// so; `archivist add` tracks it again.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "base/terminal_text.h"
#include "cli/archive.h"
#include "cli/load_config.h"

namespace archivist::cli {
namespace {

// The [[thread]] entry of the configuration that lists `key`, as "file:line" ("" if none).
std::string ConfiguredAt(const config::Config& config, const store::ThreadKey& key) {
  for (const config::ThreadEntry& t : config.threads) {
    Result<store::ThreadKey> listed = ParseQuestion(t.url);
    if (listed.ok() && listed->source == key.source && listed->id == key.id) {
      return config.source + ":" + std::to_string(t.line);
    }
  }
  return "";
}

int RunRemove(const std::vector<std::string>& questions, const GlobalOptions& global) {
  std::vector<store::ThreadKey> keys;
  for (const std::string& q : questions) {
    Result<store::ThreadKey> key = ParseQuestion(q);
    if (!key.ok()) return PrintError("remove", key.status()), kExitUsage;
    keys.push_back(*key);
  }
  auto archive = OpenArchive(global, /*read_only=*/false);
  if (!archive.ok()) return PrintError("remove", archive.status()), OpenArchiveExit(archive.status());
  for (const store::ThreadKey& key : keys) {
    if (Status st = RequireThread(**archive, key); !st.ok()) {
      return PrintError("remove", st), ExitFor(st, true);
    }
  }
  const Result<config::Config> config = LoadEffectiveConfig(global);
  for (const store::ThreadKey& key : keys) {
    if (Status st = (*archive)->SetTracking(key, store::Tracking::kRemoved); !st.ok()) {
      return PrintError("remove", st), kExitFailure;
    }
    std::printf("removed %s (history kept)\n", store::ToString(key).c_str());
    const std::string at = config.ok() ? ConfiguredAt(*config, key) : "";
    if (!at.empty()) {
      std::printf("  %s lists it as a [[thread]]; it stays removed all the same (the "
                  "configuration adds only threads the archive has never seen; `archivist add` "
                  "tracks it again)\n", TerminalSafe(at).c_str());
    }
  }
  return kExitOk;
}

}  // namespace

void AddRemoveVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto questions = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand("remove", "stop tracking questions; history is kept");
  cmd->add_option("question", *questions, "question URL or id")->required();
  cmd->callback([questions, &global, run] {
    *run = [questions, &global] { return RunRemove(*questions, global); };
  });
}

}  // namespace archivist::cli
