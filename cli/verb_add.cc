// `archivist add <question>...`: track questions (no fetch). Every reference is checked
// before anything is stored, so one bad argument adds nothing.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "base/clock.h"
#include "cli/archive.h"

namespace archivist::cli {
namespace {

int RunAdd(const std::vector<std::string>& questions, const GlobalOptions& global) {
  std::vector<store::ThreadKey> keys;
  for (const std::string& q : questions) {
    Result<store::ThreadKey> key = ParseQuestion(q);
    if (!key.ok()) return PrintError("add", key.status()), kExitUsage;
    keys.push_back(*key);
  }
  auto archive = OpenArchive(global, /*read_only=*/false);
  if (!archive.ok()) return PrintError("add", archive.status()), OpenArchiveExit(archive.status());
  RealClock clock;
  for (const store::ThreadKey& key : keys) {
    Result<bool> added = (*archive)->AddThread(key, clock.WallNow());
    if (!added.ok()) return PrintError("add", added.status()), kExitFailure;
    std::printf("%s %s\n", *added ? "tracking" : "already tracked", store::ToString(key).c_str());
  }
  return kExitOk;
}

}  // namespace

void AddAddVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto questions = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand("add", "track questions (no fetch)");
  cmd->add_option("question", *questions, "question URL or id")->required();
  cmd->callback([questions, &global, run] {
    *run = [questions, &global] { return RunAdd(*questions, global); };
  });
}

}  // namespace archivist::cli
