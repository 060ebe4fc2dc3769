// `archivist renormalize`: re-derive the Markdown of every revision made by another
// normalizer version from its stored raw HTML. Creates no events (SCHEMA.md M1); resumable.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/archive.h"
#include "normalize/normalize.h"

namespace archivist::cli {
namespace {

int RunRenormalize(const GlobalOptions& global) {
  auto archive = OpenArchive(global, /*read_only=*/false);
  if (!archive.ok()) return PrintError("renormalize", archive.status()), OpenArchiveExit(archive.status());
  const normalize::Options options;
  auto n = (*archive)->Renormalize(normalize::kNormalizerVersion, [&](std::string_view html) {
    return normalize::HtmlToMarkdown(html, options);
  });
  if (!n.ok()) return PrintError("renormalize", n.status()), kExitFailure;
  std::printf("renormalized %lld revisions to normalizer version %d\n",
              static_cast<long long>(*n), normalize::kNormalizerVersion);
  return kExitOk;
}

}  // namespace

void AddRenormalizeVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  CLI::App* cmd = app.add_subcommand("renormalize", "re-derive Markdown after a normalizer change");
  cmd->callback([&global, run] { *run = [&global] { return RunRenormalize(global); }; });
}

}  // namespace archivist::cli
