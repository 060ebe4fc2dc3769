// `archivist fetch <question> [--json]`: fetch one question and print the snapshot or the
// outcome; stores nothing. A diagnostic: it shows exactly what the source sees, including
// why a listing is not complete. Exit 0 only for a complete snapshot. Retries and long waits
// are told on stderr (cli/fetch_notices.h) unless --quiet.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <memory>
#include <optional>

#include "base/bounded_text.h"
#include "base/clock.h"
#include "base/terminal_text.h"
#include "cli/archive.h"
#include "cli/fetch_flags.h"
#include "cli/fetch_notices.h"
#include "cli/load_config.h"
#include "cli/verbs.h"
#include "fetch/sources/zhihu_url.h"
#include "pipeline/backends.h"

namespace archivist::cli {
namespace {

// Options left out come from the configuration file, or (those it has no key for) from the
// fetch stack's defaults.
struct FetchArgs {
  std::string question;
  bool json = false;
  bool quiet = false;
  FetchFlags fetch;
  std::optional<std::string> proxy;
  std::vector<std::string> headers;
  std::optional<double> connect_timeout_s;
  std::optional<int> max_pages;
  std::optional<int64_t> max_body;
};

// The options given on the command line, applied over the configuration (a copy), which
// ValidateEffective then checks as the file is checked. False when a number of seconds is
// not a number at all (reported).
bool ApplyArgs(const FetchArgs& a, config::Config& c) {
  if (a.proxy) c.fetch.proxy = *a.proxy;
  if (a.max_pages) c.zhihu.max_pages = *a.max_pages;
  if (a.max_body) c.fetch.max_body = *a.max_body;
  return a.fetch.ApplyTo("fetch", c) &&
         (!a.connect_timeout_s ||
          SecondsOption("fetch", "--connect-timeout", "fetch.connect_timeout",
                        *a.connect_timeout_s, &c.fetch.connect_timeout));
}

// The configuration keys that the given options set, for messages: key → "--option".
std::map<std::string, std::string> FlagsGiven(const FetchArgs& a) {
  std::map<std::string, std::string> out;
  a.fetch.AddGiven(out);
  if (a.proxy) out["fetch.proxy"] = "--proxy";
  if (a.connect_timeout_s) out["fetch.connect_timeout"] = "--connect-timeout";
  if (a.max_pages) out["zhihu.max_pages"] = "--max-pages";
  if (a.max_body) out["fetch.max_body"] = "--max-body";
  return out;
}

nlohmann::json ToJson(const model::Snapshot& s) {
  using nlohmann::json;
  json answers = json::array();
  for (const model::Answer& a : s.answers) {
    answers.push_back({{"id", std::to_string(a.id)},
                       {"author", {{"name", a.author.name}, {"url_token", a.author.url_token},
                                   {"anonymous", a.author.anonymous}}},
                       {"created_time", a.created_time},
                       {"updated_time", a.updated_time},
                       {"voteup_count", a.voteup_count},
                       {"comment_count", a.comment_count},
                       {"content", a.content_html}});
  }
  json out = {{"outcome", std::string(model::OutcomeName(s.outcome))},
              {"complete", s.complete()},
              {"question", {{"id", std::to_string(s.question.id)}, {"title", s.question.title},
                            {"answer_count", s.question.answer_count}}},
              {"pages", s.pages},
              {"skipped_items", s.skipped_items},
              {"answers", std::move(answers)}};
  if (!s.complete()) {
    out["error"] = {{"http_status", s.error.http_status}, {"code", s.error.code},
                    {"message", s.error.message}, {"page", s.error.page}};
  }
  if (s.retry_after_seconds) out["retry_after_seconds"] = *s.retry_after_seconds;
  return out;
}

// Every field from the server is bounded (base/bounded_text.h) and made TerminalSafe: it
// must not flood or drive the terminal.
void PrintText(const model::Snapshot& s) {
  std::printf("question %llu: %s\n", static_cast<unsigned long long>(s.question.id),
              TerminalSafe(BoundText(s.question.title)).c_str());
  std::printf("outcome: %s (%zu answers, %d pages", std::string(model::OutcomeName(s.outcome)).c_str(),
              s.answers.size(), s.pages);
  if (s.skipped_items > 0) std::printf(", %d items that are not answers skipped", s.skipped_items);
  std::printf(")\n");
  for (size_t i = 0; i < s.answers.size(); ++i) {
    const model::Answer& a = s.answers[i];
    std::printf("%4zu. %llu  %s  created %s  updated %s  %lld votes  %zu bytes\n", i + 1,
                static_cast<unsigned long long>(a.id),
                a.author.anonymous ? "(anonymous)" : TerminalSafe(BoundText(a.author.name, 256)).c_str(),
                FormatIso8601(Timestamp::FromSeconds(a.created_time), DisplayZone()).c_str(),
                FormatIso8601(Timestamp::FromSeconds(a.updated_time), DisplayZone()).c_str(),
                static_cast<long long>(a.voteup_count), a.content_html.size());
  }
  if (!s.complete()) {
    std::printf("error: HTTP %d, code '%s', page %d: %s\n", s.error.http_status,
                TerminalSafe(BoundText(s.error.code, 64)).c_str(), s.error.page,
                TerminalSafe(BoundText(s.error.message)).c_str());
    if (s.retry_after_seconds) std::printf("retry after: %lld s\n", static_cast<long long>(*s.retry_after_seconds));
  }
}

int RunFetch(const FetchArgs& args, const GlobalOptions& global) {
  Result<config::Config> config = LoadEffectiveConfig(global);
  if (!config.ok()) return PrintConfigError("fetch", config.status()), kExitUsage;
  if (!ApplyArgs(args, *config)) return kExitUsage;
  if (!ValidateEffective("fetch", *config, FlagsGiven(args))) return kExitUsage;
  Result<model::QuestionId> qid = fetch::ParseQuestionRef(args.question);
  if (!qid.ok()) return PrintError("fetch", qid.status()), kExitUsage;
  pipeline::FetchSettings settings = pipeline::FetchSettingsOf(*config);
  for (const std::string& h : args.headers) {
    Result<std::pair<std::string, std::string>> header = ParseHeaderOption(h);
    if (!header.ok()) return PrintError("fetch", header.status()), kExitUsage;
    settings.curl.headers.push_back(std::move(*header));
  }
  RealClock clock;
  fetch::Politeness politeness(clock, pipeline::PolitenessOptionsOf(*config));
  pipeline::SharedBrowser browser(clock, WarnOnStderr);
  FetchNotices notices("fetch");
  auto source = pipeline::MakeSiteSource(
      settings, {clock, politeness, browser, nullptr, args.quiet ? nullptr : &notices});
  if (!source.ok()) return PrintError("fetch", source.status()), kExitUsage;
  const model::Snapshot snap = (*source)->Fetch(*qid);
  if (args.json) {
    std::printf("%s\n", ToJson(snap).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    PrintText(snap);
  }
  return snap.complete() ? kExitOk : kExitFailure;
}

}  // namespace

void AddFetchVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto args = std::make_shared<FetchArgs>();
  CLI::App* cmd = app.add_subcommand("fetch", "fetch a question and print the snapshot; stores nothing");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // last one wins
  cmd->add_option("question", args->question, "question URL or id")->required();
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->add_flag("--quiet,-q", args->quiet, "no retry or wait notices on stderr");
  args->fetch.Register(*cmd);
  cmd->add_option("--header", args->headers, "extra header 'Name: value' (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--proxy", args->proxy, "proxy URL, e.g. http://127.0.0.1:3128");
  // Numbers are range-checked with the configuration's limits (config::Validate), not here.
  cmd->add_option("--connect-timeout", args->connect_timeout_s, "connect timeout, seconds (0.1..600)");
  cmd->add_option("--max-body", args->max_body, "maximum body size in bytes (1024..1073741824)");
  cmd->add_option("--max-pages", args->max_pages, "stop a listing after this many pages (1..100000)");
  cmd->callback([args, &global, run] {
    *run = [args, &global] { return RunFetch(*args, global); };
  });
}

}  // namespace archivist::cli
