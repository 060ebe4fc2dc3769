// `archivist copy-archive SRC DST`: the whole archive SRC copied into DST, each an SQLite file
// or a postgresql:// URI (store/open.h), exactly — ids, times, text and HTML bytes — by
// store::CopyArchive (store/copy.h). SRC is opened read-only; DST must be an empty archive, a
// database with no tables, or (SQLite) a file that does not exist yet, and is written in one
// transaction: refused or failed, it is left as empty as it was. Progress goes to stderr on a
// terminal only; the summary to stdout. Locations are printed redacted (no password).
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "cli/archive.h"
#include "store/copy.h"
#include "store/open.h"

namespace archivist::cli {
namespace {

constexpr std::string_view kVerb = "copy-archive";

bool SameFile(const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (store::IsDatabaseUri(a) || store::IsDatabaseUri(b)) return false;
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec) && !ec;
}

// "copying revisions 1200/5000" on the terminal's last line, rewritten in place.
void ShowProgress(std::string_view table, int64_t done, int64_t total) {
  std::fprintf(stderr, "\r\x1b[Kcopying %.*s %lld/%lld", static_cast<int>(table.size()),
               table.data(), static_cast<long long>(done), static_cast<long long>(total));
  std::fflush(stderr);
}

int Fail(std::string_view what, const Status& st, const std::string& src, const std::string& dst) {
  // Store messages name archives without passwords; any echo of a URI is scrubbed all the same.
  std::string msg = store::RedactPasswordsIn(st.message(), src);
  msg = store::RedactPasswordsIn(msg, dst);
  PrintError(kVerb, std::string(what) + ": " + msg);
  return kExitFailure;
}

// What a table's rows are called in the summary line.
std::string RowsName(const std::string& table) {
  if (table == "media") return "images";
  if (table == "media_refs") return "image links";
  if (table == "media_fetches") return "image fetches";
  return table;
}

int RunCopyArchive(const std::string& src, const std::string& dst) {
  const std::string from_name = store::RedactLocation(src);
  const std::string to_name = store::RedactLocation(dst);
  if (SameFile(src, dst)) {
    PrintError(kVerb, "the source and the destination are the same archive (" + from_name + ")");
    return kExitUsage;
  }
  store::OpenOptions read;
  read.read_only = true;
  read.create = false;
  auto from = store::OpenStore(src, read);
  if (!from.ok()) return Fail("source " + from_name, from.status(), src, dst);
  store::OpenOptions write;
  write.check_integrity = true;
  auto to = store::OpenStore(dst, write);
  if (!to.ok()) return Fail("destination " + to_name, to.status(), src, dst);
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  auto counts = store::CopyArchive(**from, **to, terminal ? store::CopyProgress(ShowProgress)
                                                          : store::CopyProgress());
  if (terminal) std::fprintf(stderr, "\r\x1b[K");
  if (!counts.ok()) {
    return Fail("copying " + from_name + " to " + to_name, counts.status(), src, dst);
  }
  std::string summary;
  for (const auto& [table, rows] : counts->tables) {
    summary += (summary.empty() ? "" : ", ") + std::to_string(rows) + " " + RowsName(table);
  }
  std::printf("copied %s to %s: %s\n", from_name.c_str(), to_name.c_str(), summary.c_str());
  return kExitOk;
}

}  // namespace

void AddCopyArchiveVerb(CLI::App& app, const GlobalOptions&, Runner* run) {
  auto src = std::make_shared<std::string>();
  auto dst = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "copy-archive", "copy a whole archive into an empty one (SQLite file or postgresql:// URI)");
  cmd->add_option("source", *src, "the archive to copy (read only)")->required();
  cmd->add_option("destination", *dst, "an empty archive, or a new SQLite file")->required();
  cmd->callback([src, dst, run] { *run = [src, dst] { return RunCopyArchive(*src, *dst); }; });
}

}  // namespace archivist::cli
