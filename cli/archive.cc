// Shared plumbing of the archive verbs (see archive.h).
#include "cli/archive.h"

#include "cli/load_config.h"
#include "cli/pager.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "base/terminal_text.h"
#include "base/clock.h"
#include "fetch/sources/zhihu_url.h"
#include "store/open.h"

namespace archivist::cli {

Result<std::string> StorePath(const GlobalOptions& global) {
  if (!global.db_path.empty()) return global.db_path;
  Result<config::Config> c = LoadEffectiveConfig(global);
  if (!c.ok()) return Status::InvalidArgument(std::string(kConfigErrorPrefix) + c.status().message());
  return c->store_path;
}

Result<std::string> ReadOnlyStorePath(const GlobalOptions& global, std::string_view verb) {
  static bool warned = false;  // a verb may ask twice (backup prints the path it read)
  if (!global.db_path.empty()) return global.db_path;
  Result<config::Config> c = LoadConfigFor(global, verb, {"store.path"}, !warned);
  warned = true;
  if (!c.ok()) return Status::InvalidArgument(std::string(kConfigErrorPrefix) + c.status().message());
  return c->store_path;
}

int OpenArchiveExit(const Status& status) {
  return status.message().rfind(kConfigErrorPrefix, 0) == 0 ? kExitUsage : kExitFailure;
}

namespace {

Result<std::unique_ptr<store::Store>> Open(const GlobalOptions& global, const std::string& path,
                                           bool read_only) {
  store::OpenOptions options;
  options.read_only = read_only;
  options.create = !read_only;
  options.check_integrity = !read_only;  // never write into a damaged archive
  if (!store::IsDatabaseUri(path)) {
    if (read_only && !std::filesystem::exists(path)) {
      return Status::NotFound("no archive at " + path +
                              " (use --db FILE, or `archivist add` first)");
    }
    if (!read_only && global.db_path.empty()) {
      std::error_code ec;  // the default location's directory may not exist yet
      std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    }
  }
  return store::OpenStore(path, options);
}

}  // namespace

Result<std::unique_ptr<store::Store>> OpenArchive(const GlobalOptions& global, bool read_only) {
  Result<std::string> path = StorePath(global);
  if (!path.ok()) return path.status();
  return Open(global, *path, read_only);
}

Result<std::unique_ptr<store::Store>> OpenArchiveToRead(const GlobalOptions& global,
                                                        std::string_view verb) {
  Result<std::string> path = ReadOnlyStorePath(global, verb);
  if (!path.ok()) return path.status();
  return Open(global, *path, /*read_only=*/true);
}

namespace {

void PrintLine(std::string_view verb, std::string_view message, bool keep_layout) {
  const std::string safe = TerminalSafe(message, keep_layout);
  std::fprintf(stderr, "archivist %.*s: %s\n", static_cast<int>(verb.size()), verb.data(),
               safe.c_str());
}

}  // namespace

void PrintError(std::string_view verb, std::string_view message) {
  PrintLine(verb, message, false);
}

void PrintError(std::string_view verb, const Status& status) {
  PrintLine(verb, status.message(), status.message().rfind(kConfigErrorPrefix, 0) == 0);
}

void PrintConfigError(std::string_view verb, const Status& status) {
  PrintLine(verb, status.message(), true);
}

bool WriteLayoutText(std::string_view text, bool no_pager,
                     std::string (*paint)(std::string_view safe)) {
  if (::isatty(STDOUT_FILENO)) {
    std::string safe = TerminalSafe(text, /*keep_layout=*/true);
    if (paint != nullptr && ColourWanted()) safe = paint(safe);
    return WritePaged(safe, no_pager);
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return std::fflush(stdout) == 0 && !std::ferror(stdout);
}

Result<store::ThreadKey> ParseQuestion(std::string_view text) {
  Result<model::QuestionId> id = fetch::ParseQuestionRef(text);
  if (!id.ok()) return id.status();
  return store::ThreadKey{std::string(store::kZhihu), *id};
}

Result<Timestamp> ParseTime(std::string_view option, std::string_view text) {
  RealClock clock;
  Result<Timestamp> t = ParseTimeSpec(text, clock.WallNow(), DisplayZone());
  if (!t.ok()) return Status::InvalidArgument(std::string(option) + ": " + t.status().message());
  return t;
}

std::string HumanTime(Timestamp t) { return FormatIso8601(t, DisplayZone()); }

Status RequireThread(store::Store& store, const store::ThreadKey& key) {
  Result<store::ThreadSummary> t = store.GetThread(key);
  if (t.ok()) return Status::Ok();
  if (t.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("question " + std::to_string(key.id) +
                            " is not in the archive (track it with `archivist add`)");
  }
  return t.status();
}

int ExitFor(const Status& status, bool user_input) {
  if (status.ok()) return kExitOk;
  if (user_input && (status.code() == Status::Code::kNotFound ||
                     status.code() == Status::Code::kInvalidArgument)) {
    return kExitUsage;
  }
  return kExitFailure;
}

}  // namespace archivist::cli
