// `archivist refresh [<question>...]`: fetch now and record what changed, through the same
// pipeline the daemon runs (pipeline/pipeline.h). Named questions not yet in the archive are
// added first; without names, every due active thread is refreshed (one-shot use stores no
// schedule, so that is every active thread until the daemon schedules them).
//
// Prints one line per thread: question, title, +added ~edited -deleted, answers now, outcome.
// A progress bar goes to stderr only when stderr is a terminal. Exit 0 when every refresh
// committed with a complete (or not_modified) listing and its export, if any, was written;
// 1 otherwise (the per-thread lines say which and why), a refresh superseded by another
// refresh of the same thread included (its snapshot was dropped, pipeline/pipeline.h). A damaged archive is refused at open
// (cli/archive.h) and, found later by a failing read, stops the run at once.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <system_error>

#include "base/bounded_text.h"
#include "base/clock.h"
#include "base/terminal_text.h"
#include "cli/archive.h"
#include "cli/fetch_flags.h"
#include "cli/load_config.h"
#include "cli/notify_hooks.h"
#include "pipeline/backends.h"
#include "pipeline/pipeline.h"

namespace archivist::cli {
namespace {

// Options left out come from the configuration (docs/operations.md "Configure"): a cron
// job and the daemon then share one file.
struct RefreshArgs {
  std::vector<std::string> questions;
  std::optional<std::string> export_dir;
  std::optional<int> delete_confirmations;
  FetchFlags fetch;
};

// The options given on the command line, applied over the configuration (a copy), which
// ValidateEffective then checks as the file is checked. False when a number of seconds is
// not a number at all (reported).
bool ApplyArgs(const RefreshArgs& a, config::Config& c) {
  if (a.export_dir) c.export_dir = *a.export_dir;
  if (a.delete_confirmations) c.schedule.delete_confirmations = *a.delete_confirmations;
  return a.fetch.ApplyTo("refresh", c);
}

// The configuration keys that the given options set, for messages: key → "--option".
std::map<std::string, std::string> FlagsGiven(const RefreshArgs& a) {
  std::map<std::string, std::string> out;
  a.fetch.AddGiven(out);
  if (a.export_dir) out["export.dir"] = "--export-dir";
  if (a.delete_confirmations) out["schedule.delete_confirmations"] = "--delete-confirmations";
  return out;
}

// The title came from the server: bounded (base/bounded_text.h) and made TerminalSafe.
void PrintSummary(const pipeline::RefreshSummary& s) {
  std::printf("%llu  %s  %s  answers %d  %s%s\n", static_cast<unsigned long long>(s.thread.id),
              s.title.empty() ? "(untitled)" : TerminalSafe(BoundText(s.title)).c_str(),
              s.ChangeText().c_str(), s.answers_now,
              std::string(model::OutcomeName(s.outcome)).c_str(),
              s.superseded ? ", superseded (not stored)" : "");
  if (s.superseded) {
    PrintError("refresh", std::to_string(s.thread.id) + ": not stored: another refresh of this "
               "thread committed while this one was fetching, so this snapshot may be older "
               "than what is stored and was dropped (refresh again to record the thread now)");
  }
  if (s.outcome != model::Outcome::kComplete && s.outcome != model::Outcome::kNotModified) {
    PrintError("refresh",
               std::to_string(s.thread.id) + ": " + std::string(model::OutcomeName(s.outcome)) +
                   " (HTTP " + std::to_string(s.fetch_error.http_status) + ", page " +
                   std::to_string(s.fetch_error.page) +
                   (s.fetch_error.code.empty() ? "" : ", code " + s.fetch_error.code) + ")" +
                   (s.fetch_error.message.empty() ? "" : ": " + s.fetch_error.message));
  }
  if (s.skipped_items > 0) {
    std::fprintf(stderr, "archivist refresh: %llu: skipped %d listing items that are not answers\n",
                 static_cast<unsigned long long>(s.thread.id), s.skipped_items);
  }
  if (!s.error.ok()) PrintError("refresh", s.error.WithContext(std::to_string(s.thread.id)));
  if (!s.export_error.ok()) {
    PrintError("refresh", s.export_error.WithContext(std::to_string(s.thread.id) +
                                                     ": recorded, but the export failed"));
  }
}

void Progress(size_t done, size_t total, model::QuestionId id) {
  constexpr int kWidth = 30;
  const int filled = total ? static_cast<int>(done * kWidth / total) : kWidth;
  std::fprintf(stderr, "\r[%s%s] %zu/%zu %llu\x1b[K", std::string(filled, '#').c_str(),
               std::string(kWidth - filled, ' ').c_str(), done, total,
               static_cast<unsigned long long>(id));
  std::fflush(stderr);
}

Result<std::vector<store::ThreadKey>> Targets(const RefreshArgs& args,
                                              const std::vector<config::ThreadEntry>& config_threads,
                                              store::Store& archive, Clock& clock,
                                              bool* usage_error) {
  std::vector<store::ThreadKey> keys;
  if (args.questions.empty()) {
    // Threads listed in the configuration are tracked as if added (docs/operations.md).
    for (const config::ThreadEntry& t : config_threads) {
      Result<store::ThreadKey> key = ParseQuestion(t.url);
      if (!key.ok() || archive.GetThread(*key).ok()) continue;
      Result<bool> added = archive.AddThread(*key, clock.WallNow());
      if (!added.ok()) return added.status();
    }
    return archive.DueThreads(clock.WallNow(), 1 << 30);
  }
  for (const std::string& q : args.questions) {
    Result<store::ThreadKey> key = ParseQuestion(q);
    if (!key.ok()) return *usage_error = true, key.status();
    keys.push_back(*key);
  }
  for (const store::ThreadKey& key : keys) {
    if (archive.GetThread(key).ok()) continue;
    Result<bool> added = archive.AddThread(key, clock.WallNow());
    if (!added.ok()) return added.status();
  }
  return keys;
}

int RunRefresh(const RefreshArgs& args, const GlobalOptions& global) {
  Result<config::Config> config = LoadEffectiveConfig(global);
  if (!config.ok()) return PrintConfigError("refresh", config.status()), kExitUsage;
  if (!ApplyArgs(args, *config)) return kExitUsage;
  if (!ValidateEffective("refresh", *config, FlagsGiven(args))) return kExitUsage;
  const pipeline::FetchSettings settings = pipeline::FetchSettingsOf(*config);
  RealClock clock;
  fetch::Politeness politeness(clock, pipeline::PolitenessOptionsOf(*config));
  pipeline::SharedBrowser browser(clock, WarnOnStderr);
  auto source = pipeline::MakeSiteSource(settings, {clock, politeness, browser});
  if (!source.ok()) return PrintError("refresh", source.status()), kExitUsage;
  auto archive = OpenArchive(global, /*read_only=*/false);
  if (!archive.ok()) return PrintError("refresh", archive.status()), OpenArchiveExit(archive.status());
  bool usage_error = false;
  auto targets = Targets(args, config->threads, **archive, clock, &usage_error);
  if (!targets.ok()) {
    return PrintError("refresh", targets.status()), usage_error ? kExitUsage : kExitFailure;
  }
  const std::string& export_dir = config->export_dir;
  pipeline::TagFunction tagger;
  if (!export_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(export_dir, ec);
    if (ec || !std::filesystem::is_directory(export_dir)) {
      return PrintError("refresh", "cannot create the export directory " + export_dir +
                                       (ec ? ": " + ec.message() : std::string())),
             kExitFailure;
    }
    auto loaded = LoadTagger();
    if (!loaded.ok()) return PrintError("refresh", loaded.status()), kExitFailure;
    tagger = std::move(*loaded);
  }
  pipeline::Pipeline refresher(**source, **archive, clock, tagger,
                               pipeline::PipelineOptionsOf(*config));
  const bool bar = ::isatty(STDERR_FILENO) && targets->size() > 1;
  RefreshHooks hooks(*config);  // drained when the run ends
  int rc = kExitOk;
  for (size_t i = 0; i < targets->size(); ++i) {
    if (bar) Progress(i, targets->size(), (*targets)[i].id);
    const pipeline::RefreshSummary s = refresher.Refresh((*targets)[i]);
    if (bar) std::fprintf(stderr, "\r\x1b[K");
    PrintSummary(s);
    std::fflush(stdout);
    hooks.Post(s);
    const bool fetched = s.outcome == model::Outcome::kComplete ||
                         s.outcome == model::Outcome::kNotModified;
    if (!fetched || s.superseded || !s.error.ok() || !s.export_error.ok()) rc = kExitFailure;
    if (s.error.code() == Status::Code::kCorruption && i + 1 < targets->size()) {
      PrintError("refresh", "stopping: the archive is damaged; " +
                                std::to_string(targets->size() - i - 1) +
                                " more threads were not refreshed");
      break;
    }
  }
  return rc;
}

}  // namespace

void AddRefreshVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto args = std::make_shared<RefreshArgs>();
  CLI::App* cmd = app.add_subcommand("refresh", "fetch now (named questions, or all due) and record changes");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd->add_option("question", args->questions, "question URL or id (default: every due thread)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--export-dir", args->export_dir, "write <dir>/<question id>.md when a thread changes");
  args->fetch.Register(*cmd);
  cmd->add_option("--delete-confirmations", args->delete_confirmations,
                  "complete listings an answer must be absent from before it counts as deleted (1..100)");
  cmd->callback([args, &global, run] {
    *run = [args, &global] { return RunRefresh(*args, global); };
  });
}

}  // namespace archivist::cli
