// archivist's main(): global options, verb dispatch, exit status. The only catch of
// exceptions in the program is here (bugs and allocation failure end up here, not crashes
// with a core dump and no word).
#include <CLI/CLI.hpp>
#include <malloc.h>

#include <cstdio>
#include <exception>

#include "base/version.h"
#include "cli/usage.h"
#include "cli/verbs.h"

int main(int argc, char** argv) {
  // Blocks of 128 KiB and more (an answer's HTML, its Markdown, a listing body) are mapped
  // and unmapped on their own. glibc would otherwise raise that threshold after the first
  // such block is freed and put the later ones on the heap, which it cannot give back while
  // small blocks sit above them: a refresh of a 30 MiB answer then peaked 4–11 MiB higher
  // (bench/memory_bench.py; docs/operations.md "Memory and fetch.max_body").
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  using namespace archivist::cli;
  CLI::App app{"archivist: a faithful, queryable history of discussion threads", "archivist"};
  app.set_version_flag("--version", "archivist " + std::string(archivist::kVersion));
  app.require_subcommand(1);
  app.fallthrough();

  GlobalOptions global;
  app.add_option("--config", global.config_path, "configuration file (TOML)");
  app.add_option("--db", global.db_path, "the archive: a SQLite file or a postgresql:// URI");
  app.add_option("--zhihu-base-url", global.zhihu_base_url,
                 "base URL of the Zhihu API (overrides zhihu.base_url)");
  app.add_option("--media-base-url", global.media_base_url,
                 "scheme and host for every image URL, path and query kept (overrides "
                 "media.base_url; for tests against a local image server)");
  app.add_flag("--no-pager", global.no_pager,
               "never page long output on a terminal ($PAGER, default less -FRX)");

  Runner run;
  // Verbs register here, one line each.
  AddConvertVerb(app, global, &run);
  AddFetchVerb(app, global, &run);
  AddTagsVerb(app, global, &run);
  AddCheckConfigVerb(app, global, &run);
  AddDaemonVerb(app, global, &run);
  AddStatusVerb(app, global, &run);
  AddLoginVerb(app, global, &run);
  AddAddVerb(app, global, &run);
  AddRemoveVerb(app, global, &run);
  AddListVerb(app, global, &run);
  AddRefreshVerb(app, global, &run);
  AddHistoryVerb(app, global, &run);
  AddChangesVerb(app, global, &run);
  AddMediaVerb(app, global, &run);
  AddDiffVerb(app, global, &run);
  AddShowVerb(app, global, &run);
  AddExportVerb(app, global, &run);
  AddRenormalizeVerb(app, global, &run);
  AddBackupVerb(app, global, &run);
  AddCopyArchiveVerb(app, global, &run);
  AddServeVerb(app, global, &run);
  AddHelpVerb(app, &run);

  try {
    if (std::optional<int> rc = CheckVerb(app, argc, argv)) return *rc;
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return ReportParseError(app, e);
  }
  try {
    return run ? run() : kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "archivist: internal error: %s\n", e.what());
    return 70;
  }
}
