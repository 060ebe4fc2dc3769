// `archivist fetch <question> [--json]`: fetch one question and print the snapshot or the
// outcome; stores nothing. A diagnostic: it shows exactly what the source sees, including
// why a listing is not complete. Exit 0 only for a complete snapshot.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>
#include <set>

#include "base/bounded_text.h"
#include "base/clock.h"
#include "cli/load_config.h"
#include "cli/verbs.h"
#include "fetch/curl_http_client.h"
#include "fetch/retrying_http_client.h"
#include "fetch/sources/zhihu_source.h"

namespace archivist::cli {
namespace {

struct FetchArgs {
  std::string question;
  bool json = false;
  std::string cookie, cookies_file, user_agent = "archivist/0.1", proxy;
  std::vector<std::string> headers;
  double timeout_s = 30, connect_timeout_s = 10, delay_s = 2;
  int page_size = 20, retries = 2, max_pages = 2000;
  int64_t max_body = 32 << 20;
  std::set<std::string> given;  // options given on the command line; the rest come from the config
};

// Options not given on the command line come from the configuration file.
void ApplyConfig(const config::Config& c, FetchArgs* a) {
  auto from_config = [a](const char* flag) { return a->given.count(flag) == 0; };
  if (from_config("--cookie")) a->cookie = c.zhihu.cookie;
  if (from_config("--cookies-file")) a->cookies_file = c.fetch.cookies_file;
  if (from_config("--user-agent")) a->user_agent = c.fetch.user_agent;
  if (from_config("--proxy")) a->proxy = c.fetch.proxy;
  if (from_config("--timeout")) a->timeout_s = c.fetch.timeout.count() / 1000.0;
  if (from_config("--connect-timeout")) a->connect_timeout_s = c.fetch.connect_timeout.count() / 1000.0;
  if (from_config("--page-size")) a->page_size = c.zhihu.page_size;
  if (from_config("--max-pages")) a->max_pages = c.zhihu.max_pages;
  if (from_config("--retries")) a->retries = c.fetch.retries;
  if (from_config("--delay")) a->delay_s = c.fetch.per_host_delay.count() / 1000.0;
  if (from_config("--max-body")) a->max_body = c.fetch.max_body;
}

// The configuration this run uses: `c` with the final option values written over it, for
// ValidateEffective to check as the file is checked. False when a number of seconds is not
// a number at all (reported).
bool Effective(const FetchArgs& a, config::Config* c) {
  c->zhihu.cookie = a.cookie;
  c->fetch.user_agent = a.user_agent;
  c->fetch.proxy = a.proxy;
  c->fetch.cookies_file = a.cookies_file;
  c->zhihu.page_size = a.page_size;
  c->zhihu.max_pages = a.max_pages;
  c->fetch.retries = a.retries;
  c->fetch.max_body = a.max_body;
  return SecondsOption("fetch", "--timeout", "fetch.timeout", a.timeout_s, &c->fetch.timeout) &&
         SecondsOption("fetch", "--connect-timeout", "fetch.connect_timeout", a.connect_timeout_s,
                       &c->fetch.connect_timeout) &&
         SecondsOption("fetch", "--delay", "fetch.per_host_delay", a.delay_s,
                       &c->fetch.per_host_delay);
}

// The configuration keys that this verb's options set, for messages: key → "--option".
std::map<std::string, std::string> FlagsGiven(const std::set<std::string>& given) {
  static const std::map<std::string, std::string> kKeyOf = {
      {"--cookie", "zhihu.cookie"},         {"--user-agent", "fetch.user_agent"},
      {"--proxy", "fetch.proxy"},           {"--timeout", "fetch.timeout"},
      {"--connect-timeout", "fetch.connect_timeout"}, {"--delay", "fetch.per_host_delay"},
      {"--page-size", "zhihu.page_size"},   {"--max-pages", "zhihu.max_pages"},
      {"--retries", "fetch.retries"},       {"--max-body", "fetch.max_body"}};
  std::map<std::string, std::string> out;
  for (const auto& [flag, key] : kKeyOf) {
    if (given.count(flag)) out[key] = flag;
  }
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

// Titles, names and messages came from the server: each is bounded (base/bounded_text.h).
void PrintText(const model::Snapshot& s) {
  std::printf("question %llu: %s\n", static_cast<unsigned long long>(s.question.id),
              BoundText(s.question.title).c_str());
  std::printf("outcome: %s (%zu answers, %d pages", std::string(model::OutcomeName(s.outcome)).c_str(),
              s.answers.size(), s.pages);
  if (s.skipped_items > 0) std::printf(", %d items that are not answers skipped", s.skipped_items);
  std::printf(")\n");
  for (size_t i = 0; i < s.answers.size(); ++i) {
    const model::Answer& a = s.answers[i];
    std::printf("%4zu. %llu  %s  created %s  updated %s  %lld votes  %zu bytes\n", i + 1,
                static_cast<unsigned long long>(a.id),
                a.author.anonymous ? "(anonymous)" : BoundText(a.author.name, 256).c_str(),
                Timestamp::FromSeconds(a.created_time).ToIso8601().c_str(),
                Timestamp::FromSeconds(a.updated_time).ToIso8601().c_str(),
                static_cast<long long>(a.voteup_count), a.content_html.size());
  }
  if (!s.complete()) {
    std::printf("error: HTTP %d, code '%s', page %d: %s\n", s.error.http_status,
                BoundText(s.error.code, 64).c_str(), s.error.page, BoundText(s.error.message).c_str());
    if (s.retry_after_seconds) std::printf("retry after: %lld s\n", static_cast<long long>(*s.retry_after_seconds));
  }
}

int RunFetch(FetchArgs args, const GlobalOptions& global) {
  Result<config::Config> config = LoadEffectiveConfig(global);
  if (!config.ok()) {
    std::fprintf(stderr, "archivist fetch: %s\n", config.status().message().c_str());
    return kExitUsage;
  }
  ApplyConfig(*config, &args);
  config::Config effective = *config;  // what this run uses, checked as the file is
  if (!Effective(args, &effective)) return kExitUsage;
  if (!ValidateEffective("fetch", effective, FlagsGiven(args.given))) return kExitUsage;
  Result<model::QuestionId> qid = fetch::ParseQuestionRef(args.question);
  if (!qid.ok()) {
    std::fprintf(stderr, "archivist fetch: %s\n", qid.status().message().c_str());
    return kExitUsage;
  }
  fetch::CurlOptions curl;
  curl.timeout = effective.fetch.timeout;
  curl.connect_timeout = effective.fetch.connect_timeout;
  curl.max_body = static_cast<size_t>(effective.fetch.max_body);
  curl.user_agent = args.user_agent;
  curl.cookie = args.cookie;
  curl.cookies_file = args.cookies_file;
  curl.cookie_url = config->zhihu.base_url;  // cookies go to its origin only
  curl.proxy = args.proxy;
  for (const std::string& h : args.headers) {
    Result<std::pair<std::string, std::string>> header = ParseHeaderOption(h);
    if (!header.ok()) {
      std::fprintf(stderr, "archivist fetch: %s\n", header.status().message().c_str());
      return kExitUsage;
    }
    curl.headers.push_back(std::move(*header));
  }
  auto client = fetch::CurlHttpClient::Create(curl);
  if (!client.ok()) {
    std::fprintf(stderr, "archivist fetch: %s\n", client.status().message().c_str());
    return kExitUsage;
  }
  fetch::ZhihuOptions zopts;
  zopts.base_url = config->zhihu.base_url;  // --zhihu-base-url is applied over it
  zopts.page_size = effective.zhihu.page_size;
  zopts.max_pages = effective.zhihu.max_pages;
  if (Status st = fetch::ZhihuSource::ValidateOptions(zopts); !st.ok()) {
    std::fprintf(stderr, "archivist fetch: %s\n", st.message().c_str());
    return kExitUsage;
  }
  RealClock clock;
  fetch::PolitenessOptions polite;
  polite.per_host_delay = effective.fetch.per_host_delay;
  fetch::Politeness politeness(clock, polite);
  fetch::RetryOptions retry;
  retry.max_attempts = effective.fetch.retries + 1;
  fetch::RetryingHttpClient http(**client, clock, politeness, retry);
  fetch::ZhihuSource source(http, clock, zopts);
  const model::Snapshot snap = source.FetchQuestion(*qid);
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
  cmd->add_option("--cookie", args->cookie, "Cookie header value");
  cmd->add_option("--cookies-file", args->cookies_file, "Netscape cookies.txt file");
  cmd->add_option("--user-agent", args->user_agent, "User-Agent header");
  cmd->add_option("--header", args->headers, "extra header 'Name: value' (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--proxy", args->proxy, "proxy URL, e.g. http://127.0.0.1:3128");
  // Numbers are range-checked with the configuration's limits (config::Validate), not here.
  cmd->add_option("--timeout", args->timeout_s, "total timeout per request, seconds (0.1..3600)");
  cmd->add_option("--connect-timeout", args->connect_timeout_s, "connect timeout, seconds (0.1..600)");
  cmd->add_option("--page-size", args->page_size, "answers per listing page (1..100)");
  cmd->add_option("--max-body", args->max_body, "maximum body size in bytes (1024..1073741824)");
  cmd->add_option("--max-pages", args->max_pages, "stop a listing after this many pages (1..100000)");
  cmd->add_option("--retries", args->retries, "retries of transient failures (0..10)");
  cmd->add_option("--delay", args->delay_s, "minimum seconds between requests to the host (0..3600)");
  cmd->callback([args, cmd, &global, run] {
    args->given = OptionsGiven(*cmd);
    *run = [args, &global] { return RunFetch(*args, global); };
  });
}

}  // namespace archivist::cli
