// `archivist remove <question>...`: stop tracking; the history is kept (tracking = removed).
// Every question must be in the archive, checked before anything changes.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/archive.h"

namespace archivist::cli {
namespace {

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
  for (const store::ThreadKey& key : keys) {
    if (Status st = (*archive)->SetTracking(key, store::Tracking::kRemoved); !st.ok()) {
      return PrintError("remove", st), kExitFailure;
    }
    std::printf("removed %s (history kept)\n", store::ToString(key).c_str());
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
