// `archivist backup <file>`: a consistent online copy of the archive (writers may continue).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/archive.h"

namespace archivist::cli {
namespace {

int RunBackup(const std::string& file, const GlobalOptions& global) {
  auto archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) return PrintError("backup", archive.status()), OpenArchiveExit(archive.status());
  if (Status st = (*archive)->Backup(file); !st.ok()) return PrintError("backup", st), kExitFailure;
  std::printf("backed up %s to %s\n", StorePath(global).value().c_str(), file.c_str());
  return kExitOk;
}

}  // namespace

void AddBackupVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto file = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("backup", "online copy of the archive");
  cmd->add_option("file", *file, "destination file")->required();
  cmd->callback([file, &global, run] { *run = [file, &global] { return RunBackup(*file, global); }; });
}

}  // namespace archivist::cli
