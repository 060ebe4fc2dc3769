// Shared plumbing of the archive verbs (see archive.h).
#include "cli/archive.h"

#include "cli/load_config.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "fetch/sources/zhihu_url.h"
#include "store/sqlite_store.h"

namespace archivist::cli {

Result<std::string> StorePath(const GlobalOptions& global) {
  if (!global.db_path.empty()) return global.db_path;
  Result<config::Config> c = LoadEffectiveConfig(global);
  if (!c.ok()) return Status::InvalidArgument(std::string(kConfigErrorPrefix) + c.status().message());
  return c->store_path;
}

int OpenArchiveExit(const Status& status) {
  return status.message().rfind(kConfigErrorPrefix, 0) == 0 ? kExitUsage : kExitFailure;
}

Result<std::unique_ptr<store::Store>> OpenArchive(const GlobalOptions& global, bool read_only) {
  Result<std::string> store_path = StorePath(global);
  if (!store_path.ok()) return store_path.status();
  const std::string& path = *store_path;
  store::SqliteOptions options;
  options.read_only = read_only;
  options.create = !read_only;
  if (read_only && !std::filesystem::exists(path)) {
    return Status::NotFound("no archive at " + path + " (use --db FILE, or `archivist add` first)");
  }
  if (!read_only && global.db_path.empty()) {
    std::error_code ec;  // the default location's directory may not exist yet
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  }
  Result<std::unique_ptr<store::SqliteStore>> db = store::SqliteStore::Open(path, options);
  if (!db.ok()) return db.status();
  return std::unique_ptr<store::Store>(std::move(*db));
}

void PrintError(std::string_view verb, std::string_view message) {
  std::fprintf(stderr, "archivist %.*s: %.*s\n", static_cast<int>(verb.size()), verb.data(),
               static_cast<int>(message.size()), message.data());
}

void PrintError(std::string_view verb, const Status& status) {
  PrintError(verb, std::string_view(status.message()));
}

Result<store::ThreadKey> ParseQuestion(std::string_view text) {
  Result<model::QuestionId> id = fetch::ParseQuestionRef(text);
  if (!id.ok()) return id.status();
  return store::ThreadKey{std::string(store::kZhihu), *id};
}

Result<Timestamp> ParseTime(std::string_view option, std::string_view text) {
  Result<Timestamp> t = ParseIso8601(text);
  if (!t.ok()) {
    return Status::InvalidArgument(std::string(option) + " '" + std::string(text) +
                                   "' is not an ISO 8601 time (" + t.status().message() + ")");
  }
  return t;
}

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
