// `archivist refresh [<question>...]`: fetch now and record what changed, through the same
// pipeline the daemon runs (daemon/pipeline.h). Named questions not yet in the archive are
// added first; without names, every due active thread is refreshed (one-shot use stores no
// schedule, so that is every active thread until the daemon schedules them).
//
// Prints one line per thread: question, title, +added ~edited -deleted, answers now, outcome.
// A progress bar goes to stderr only when stderr is a terminal. Exit 0 when every refresh
// committed with a complete (or not_modified) listing and its export, if any, was written;
// 1 otherwise (the per-thread lines say which and why).
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <system_error>

#include "base/bounded_text.h"
#include "base/clock.h"
#include "cli/archive.h"
#include "cli/load_config.h"
#include "daemon/pipeline.h"
#include "fetch/curl_http_client.h"
#include "fetch/retrying_http_client.h"
#include "fetch/sources/zhihu_source.h"

namespace archivist::cli {
namespace {

struct RefreshArgs {
  std::vector<std::string> questions;
  std::string export_dir, cookie, cookies_file, user_agent;
  double timeout_s = 30, delay_s = 2;
  int page_size = 20, retries = 2, delete_confirmations = 2;
  std::set<std::string> given;  // options given on the command line; the rest come from the config
};

// Fills the options not given on the command line from the configuration (DESIGN.md
// "Configuration"): a cron job and the daemon then share one file.
void ApplyConfig(const config::Config& c, RefreshArgs* a) {
  auto from_config = [a](const char* flag) { return a->given.count(flag) == 0; };
  if (from_config("--export-dir")) a->export_dir = c.export_dir;
  if (from_config("--cookie")) a->cookie = c.zhihu.cookie;
  if (from_config("--cookies-file")) a->cookies_file = c.fetch.cookies_file;
  if (from_config("--user-agent")) a->user_agent = c.fetch.user_agent;
  if (from_config("--timeout")) a->timeout_s = c.fetch.timeout.count() / 1000.0;
  if (from_config("--page-size")) a->page_size = c.zhihu.page_size;
  if (from_config("--retries")) a->retries = c.fetch.retries;
  if (from_config("--delay")) a->delay_s = c.fetch.per_host_delay.count() / 1000.0;
  if (from_config("--delete-confirmations")) {
    a->delete_confirmations = c.schedule.delete_confirmations;
  }
}

// The configuration this run uses: `c` with the final option values written over it, for
// ValidateEffective to check as the file is checked. False when a number of seconds is not
// a number at all (reported).
bool Effective(const RefreshArgs& a, config::Config* c) {
  c->export_dir = a.export_dir;
  c->zhihu.cookie = a.cookie;
  c->fetch.cookies_file = a.cookies_file;
  c->fetch.user_agent = a.user_agent;
  c->zhihu.page_size = a.page_size;
  c->fetch.retries = a.retries;
  c->schedule.delete_confirmations = a.delete_confirmations;
  return SecondsOption("refresh", "--timeout", "fetch.timeout", a.timeout_s, &c->fetch.timeout) &&
         SecondsOption("refresh", "--delay", "fetch.per_host_delay", a.delay_s,
                       &c->fetch.per_host_delay);
}

// The configuration keys that this verb's options set, for messages: key → "--option".
std::map<std::string, std::string> FlagsGiven(const std::set<std::string>& given) {
  static const std::map<std::string, std::string> kKeyOf = {
      {"--cookie", "zhihu.cookie"},       {"--user-agent", "fetch.user_agent"},
      {"--timeout", "fetch.timeout"},     {"--delay", "fetch.per_host_delay"},
      {"--page-size", "zhihu.page_size"}, {"--retries", "fetch.retries"},
      {"--delete-confirmations", "schedule.delete_confirmations"}};
  std::map<std::string, std::string> out;
  for (const auto& [flag, key] : kKeyOf) {
    if (given.count(flag)) out[key] = flag;
  }
  return out;
}

void PrintSummary(const daemon::RefreshSummary& s) {
  std::printf("%llu  %s  %s  answers %d  %s\n", static_cast<unsigned long long>(s.thread.id),
              s.title.empty() ? "(untitled)" : BoundText(s.title).c_str(), s.ChangeText().c_str(),
              s.answers_now, std::string(model::OutcomeName(s.outcome)).c_str());
  if (s.outcome != model::Outcome::kComplete && s.outcome != model::Outcome::kNotModified) {
    std::fprintf(stderr, "archivist refresh: %llu: %s (HTTP %d, page %d%s%s)%s\n",
                 static_cast<unsigned long long>(s.thread.id),
                 std::string(model::OutcomeName(s.outcome)).c_str(), s.fetch_error.http_status,
                 s.fetch_error.page, s.fetch_error.code.empty() ? "" : ", code ",
                 s.fetch_error.code.c_str(),
                 s.fetch_error.message.empty() ? "" : (": " + s.fetch_error.message).c_str());
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
    // Threads listed in the configuration are tracked as if added (DESIGN.md [[thread]]).
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

int RunRefresh(RefreshArgs args, const GlobalOptions& global) {
  Result<config::Config> config = LoadEffectiveConfig(global);
  if (!config.ok()) return PrintError("refresh", config.status()), kExitUsage;
  ApplyConfig(*config, &args);
  config::Config effective = *config;  // what this run uses, checked as the file is
  if (!Effective(args, &effective)) return kExitUsage;
  if (!ValidateEffective("refresh", effective, FlagsGiven(args.given))) return kExitUsage;
  fetch::CurlOptions curl;
  curl.proxy = config->fetch.proxy;
  curl.max_body = static_cast<size_t>(config->fetch.max_body);
  curl.timeout = effective.fetch.timeout;
  curl.connect_timeout = effective.fetch.connect_timeout;
  curl.user_agent = args.user_agent;
  curl.cookie = args.cookie;
  curl.cookies_file = args.cookies_file;
  curl.cookie_url = config->zhihu.base_url;  // cookies go to its origin only
  auto client = fetch::CurlHttpClient::Create(curl);
  if (!client.ok()) return PrintError("refresh", client.status()), kExitUsage;
  fetch::ZhihuOptions zopts;
  zopts.base_url = config->zhihu.base_url;  // --zhihu-base-url is applied over it
  zopts.page_size = effective.zhihu.page_size;
  zopts.max_pages = effective.zhihu.max_pages;
  if (Status st = fetch::ZhihuSource::ValidateOptions(zopts); !st.ok()) {
    return PrintError("refresh", st), kExitUsage;
  }
  RealClock clock;
  auto archive = OpenArchive(global, /*read_only=*/false);
  if (!archive.ok()) return PrintError("refresh", archive.status()), OpenArchiveExit(archive.status());
  bool usage_error = false;
  auto targets = Targets(args, config->threads, **archive, clock, &usage_error);
  if (!targets.ok()) {
    return PrintError("refresh", targets.status()), usage_error ? kExitUsage : kExitFailure;
  }
  daemon::TagFunction tagger;
  if (!args.export_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(args.export_dir, ec);
    if (ec || !std::filesystem::is_directory(args.export_dir)) {
      return PrintError("refresh", "cannot create the export directory " + args.export_dir +
                                       (ec ? ": " + ec.message() : std::string())),
             kExitFailure;
    }
    auto loaded = LoadTagger();
    if (!loaded.ok()) return PrintError("refresh", loaded.status()), kExitFailure;
    tagger = std::move(*loaded);
  }
  fetch::PolitenessOptions polite;
  polite.per_host_delay = effective.fetch.per_host_delay;
  fetch::Politeness politeness(clock, polite);
  fetch::RetryOptions retry;
  retry.max_attempts = effective.fetch.retries + 1;
  fetch::RetryingHttpClient http(**client, clock, politeness, retry);
  fetch::ZhihuSource zhihu(http, clock, zopts);
  daemon::ZhihuSourceAdapter source(zhihu);
  daemon::PipelineOptions options;
  options.classify.delete_confirmations = effective.schedule.delete_confirmations;
  options.export_dir = args.export_dir;
  options.normalize.image_proxy = config->zhihu.image_proxy;
  daemon::Pipeline pipeline(source, **archive, clock, tagger, options);
  const bool bar = ::isatty(STDERR_FILENO) && targets->size() > 1;
  int rc = kExitOk;
  for (size_t i = 0; i < targets->size(); ++i) {
    if (bar) Progress(i, targets->size(), (*targets)[i].id);
    const daemon::RefreshSummary s = pipeline.Refresh((*targets)[i]);
    if (bar) std::fprintf(stderr, "\r\x1b[K");
    PrintSummary(s);
    std::fflush(stdout);
    const bool fetched = s.outcome == model::Outcome::kComplete ||
                         s.outcome == model::Outcome::kNotModified;
    if (!fetched || !s.error.ok() || !s.export_error.ok()) rc = kExitFailure;
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
  cmd->add_option("--cookie", args->cookie, "Cookie header value");
  cmd->add_option("--cookies-file", args->cookies_file, "Netscape cookies.txt file");
  cmd->add_option("--user-agent", args->user_agent, "User-Agent header");
  // Numbers are range-checked with the configuration's limits (config::Validate), not here.
  cmd->add_option("--timeout", args->timeout_s, "total timeout per request, seconds (0.1..3600)");
  cmd->add_option("--page-size", args->page_size, "answers per listing page (1..100)");
  cmd->add_option("--retries", args->retries, "retries of transient failures (0..10)");
  cmd->add_option("--delay", args->delay_s, "minimum seconds between requests to the host (0..3600)");
  cmd->add_option("--delete-confirmations", args->delete_confirmations,
                  "complete listings an answer must be absent from before it counts as deleted (1..100)");
  cmd->callback([args, cmd, &global, run] {
    args->given = OptionsGiven(*cmd);
    *run = [args, &global] { return RunRefresh(*args, global); };
  });
}

}  // namespace archivist::cli
