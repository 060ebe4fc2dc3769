// `archivist backup <file>`: a consistent online copy of the archive (writers may continue).
// The destination may not be the archive or one of its sidecar files under any name, nor
// anything but a regular file (store.h, Store::Backup).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/archive.h"

namespace archivist::cli {
namespace {

int RunBackup(const std::string& file, const GlobalOptions& global) {
  auto archive = OpenArchiveToRead(global, "backup");
  if (!archive.ok()) return PrintError("backup", archive.status()), OpenArchiveExit(archive.status());
  // A refused destination (the archive itself, not a regular file) is bad usage: exit 2.
  if (Status st = (*archive)->Backup(file); !st.ok()) {
    return PrintError("backup", st), st.code() == Status::Code::kInvalidArgument ? kExitUsage
                                                                                 : kExitFailure;
  }
  std::printf("backed up %s to %s\n", ReadOnlyStorePath(global, "backup").value().c_str(), file.c_str());
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
