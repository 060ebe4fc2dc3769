// `archivist refresh [<question>...]`: fetch now and record what changed, through the same
// pipeline the daemon runs (pipeline/pipeline.h). Named questions not yet in the archive are
// added first; without names, the due active threads are refreshed after what the daemon
// would do first (cli/refresh_due.h: new [[thread]]s, retirements, the hot list), and a run
// is refused while a daemon keeps the archive. Every refresh stores the thread's next due
// time by the daemon's interval policy (pipeline/standalone.h), except while a daemon holds
// the archive: its scheduler owns the schedule then.
//
// Prints one line per thread: question, title, +added ~edited -deleted, answers now, outcome
// (--json: one JSON object per thread, cli/refresh_output.h). A progress bar goes to stderr
// only when stderr is a terminal. Retries and long waits are told on stderr (cli/fetch_notices.h).
// --quiet, for cron: only threads that changed or failed, no progress bar, no retry notices. Exit 0 when every refresh
// committed with a complete (or not_modified) listing and its export, if any, was written;
// 1 otherwise (the per-thread lines say which and why), a refresh superseded by another
// refresh of the same thread included (its snapshot was dropped, pipeline/pipeline.h), and
// when the hot-list poll failed or the archive is held by a daemon or another such run. A
// damaged archive is refused at open (cli/archive.h) and, found later by a failing read,
// stops the run at once.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <system_error>

#include "base/bounded_text.h"
#include "base/clock.h"
#include "base/terminal_text.h"
#include "cli/archive.h"
#include "cli/fetch_flags.h"
#include "cli/fetch_notices.h"
#include "cli/load_config.h"
#include "cli/refresh_due.h"
#include "cli/refresh_output.h"
#include "cli/notify_hooks.h"
#include "media/media_step.h"
#include "pipeline/backends.h"
#include "pipeline/pipeline.h"
#include "pipeline/standalone.h"
#include "web/feeds.h"

namespace archivist::cli {
namespace {

// Options left out come from the configuration (docs/operations.md "Configure"): a cron
// job and the daemon then share one file.
struct RefreshArgs {
  std::vector<std::string> questions;
  std::optional<std::string> export_dir;
  std::optional<int> delete_confirmations;
  FetchFlags fetch;
  bool quiet = false;
  bool json = false;
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
void PrintSummary(const pipeline::RefreshSummary& s, bool json) {
  if (json) {
    std::printf("%s\n", RefreshJson(s).c_str());
  } else {
    std::printf("%llu  %s  %s  answers %d  %s%s\n", static_cast<unsigned long long>(s.thread.id),
              s.title.empty() ? "(untitled)" : TerminalSafe(BoundText(s.title)).c_str(),
              s.ChangeText().c_str(), s.answers_now,
              std::string(model::OutcomeName(s.outcome)).c_str(),
              s.superseded ? ", superseded (not stored)" : "");
  }
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
  if (!s.media.error.ok()) {
    PrintError("refresh", s.media.error.WithContext(std::to_string(s.thread.id) +
                                                    ": recorded, but storing its images failed"));
  }
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

// The named questions, added when new; without names, the due threads (cli/refresh_due.h),
// whose lock `due` then holds.
Result<std::vector<store::ThreadKey>> Targets(const RefreshArgs& args, const config::Config& config,
                                              store::Store& archive, pipeline::SiteSource& source,
                                              Clock& clock, std::optional<DueRefresh>* due,
                                              bool* usage_error) {
  std::vector<store::ThreadKey> keys;
  if (args.questions.empty()) {
    Result<DueRefresh> prepared = PrepareDueRefresh(config, archive, source, clock);
    if (!prepared.ok()) return prepared.status();
    due->emplace(std::move(*prepared));
    return (*due)->threads;
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

// Threads that were not due still get their export file when it is missing or stale (an
// export.dir set since their last refresh), so one run exports every active thread.
int CatchUpExports(store::Store& archive, pipeline::Pipeline& refresher,
                   const std::vector<store::ThreadKey>& refreshed, int rc) {
  Result<std::vector<store::ThreadSummary>> threads = archive.ListThreads();
  if (!threads.ok()) return PrintError("refresh", threads.status()), kExitFailure;
  for (const store::ThreadSummary& t : *threads) {
    const auto same = [&t](const store::ThreadKey& k) {
      return k.source == t.key.source && k.id == t.key.id;
    };
    if (t.tracking != store::Tracking::kActive ||
        std::any_of(refreshed.begin(), refreshed.end(), same)) {
      continue;
    }
    Result<std::string> written = refresher.ExportIfStale(t.key);
    if (!written.ok()) {
      PrintError("refresh", written.status().WithContext(std::to_string(t.key.id) + ": export"));
      rc = kExitFailure;
    }
  }
  return rc;
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
  FetchNotices notices("refresh");
  auto source = pipeline::MakeSiteSource(
      settings, {clock, politeness, browser, nullptr, args.quiet ? nullptr : &notices});
  if (!source.ok()) return PrintError("refresh", source.status()), kExitUsage;
  auto archive = OpenArchive(global, /*read_only=*/false);
  if (!archive.ok()) return PrintError("refresh", archive.status()), OpenArchiveExit(archive.status());
  bool usage_error = false;
  std::optional<DueRefresh> due;
  auto targets = Targets(args, *config, **archive, **source, clock, &due, &usage_error);
  if (!targets.ok()) {
    return PrintError("refresh", targets.status()), usage_error ? kExitUsage : kExitFailure;
  }
  const std::string& export_dir = config->export_dir;
  pipeline::TagFunction tagger;
  if (!export_dir.empty()) {
    if (Status st = pipeline::PrepareExportDir(export_dir, config->export_mode); !st.ok()) {
      return PrintError("refresh", st), kExitFailure;
    }
    auto loaded = LoadTagger();
    if (!loaded.ok()) return PrintError("refresh", loaded.status()), kExitFailure;
    tagger = std::move(*loaded);
  }
  pipeline::PipelineOptions options = pipeline::PipelineOptionsOf(*config);
  options.export_more = web::FeedsBesideExports(config->export_dir, config->web.listen);
  if (Status st = media::AttachMedia(options, *config, clock, politeness, nullptr,
                                     args.quiet ? nullptr : &notices);
      !st.ok()) {
    return PrintError("refresh", st), kExitUsage;
  }
  // A daemon's scheduler owns the schedule. (No probe while `due` holds its lock: closing the
  // probe's descriptor would release the lock, base/lock_file.h.)
  if (due || !ArchiveDaemon(config->store_path)) {
    options.schedule = pipeline::KeepSchedule(**archive, clock,
                                              pipeline::IntervalPolicyOf(config->schedule),
                                              std::random_device{}());
  }
  pipeline::Pipeline refresher(**source, **archive, clock, tagger, std::move(options));
  if (due && targets->empty() && !args.quiet) {
    std::fprintf(stderr, "archivist refresh: no thread is due (`archivist list` shows when each "
                 "is; name questions to refresh them now)\n");
  }
  const bool bar = !args.quiet && ::isatty(STDERR_FILENO) && targets->size() > 1;
  RefreshHooks hooks(*config);  // drained when the run ends
  int rc = due && due->discovery_failed ? kExitFailure : kExitOk;
  for (size_t i = 0; i < targets->size(); ++i) {
    if (bar) Progress(i, targets->size(), (*targets)[i].id);
    // A shared archive: the thread is claimed by lease first (cli/refresh_due.h).
    if (due && !ClaimForRun(*due, **archive, (*targets)[i], clock, args.quiet)) continue;
    const pipeline::RefreshSummary s = refresher.Refresh((*targets)[i]);
    if (due) ReleaseAfterRun(*due, **archive, (*targets)[i]);
    if (bar) std::fprintf(stderr, "\r\x1b[K");
    if (!args.quiet || WorthPrintingWhenQuiet(s)) PrintSummary(s, args.json);
    std::fflush(stdout);
    hooks.Post(s);
    if (RefreshFailed(s)) rc = kExitFailure;
    if (s.error.code() == Status::Code::kCorruption && i + 1 < targets->size()) {
      PrintError("refresh", "stopping: the archive is damaged; " +
                                std::to_string(targets->size() - i - 1) +
                                " more threads were not refreshed");
      break;
    }
  }
  if (due && !export_dir.empty()) rc = CatchUpExports(**archive, refresher, *targets, rc);
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
  cmd->add_flag("--quiet,-q", args->quiet,
                "print only threads that changed or failed; no progress bar, no retry notices");
  cmd->add_flag("--json", args->json, "one JSON object per thread per line");
  cmd->callback([args, &global, run] {
    *run = [args, &global] { return RunRefresh(*args, global); };
  });
}

}  // namespace archivist::cli
