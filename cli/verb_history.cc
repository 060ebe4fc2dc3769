// `archivist history <question> [--answer ID] [--since TIME] [--json]`: the thread's events,
// oldest first. Answer events show who and how much (cli/revision_facts.h): the author, the
// size of the edit, the source's own edit time beside the time archivist saw it. --json
// prints one object per line with the fields documented in docs/cli.md: time, kind,
// question, answer, revision, details, author, updated_time, added, removed.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <memory>

#include "base/terminal_text.h"
#include "cli/archive.h"
#include "cli/revision_facts.h"
#include "fetch/sources/zhihu_url.h"

namespace archivist::cli {
namespace {

struct HistoryArgs {
  std::string question, answer, since;
  bool json = false;
};

using FactsByAnswer = std::map<model::AnswerId, std::map<int, RevisionFacts>>;

// The facts of the event's revision; for a deletion, of the answer's last revision.
const RevisionFacts* FactsFor(const store::EventRecord& e, const FactsByAnswer& facts) {
  if (!e.answer) return nullptr;
  auto answer = facts.find(*e.answer);
  if (answer == facts.end() || answer->second.empty()) return nullptr;
  if (e.revision == 0) return &answer->second.rbegin()->second;
  auto rev = answer->second.find(e.revision);
  return rev == answer->second.end() ? nullptr : &rev->second;
}

void PrintEvent(const store::EventRecord& e, const RevisionFacts* f, bool json) {
  const bool revised = f != nullptr && e.revision > 0;
  // The size belongs to the refresh that stored the revision (a restore may show an older one).
  const bool made_here = revised && f->observed_at == e.at;
  if (json) {
    nlohmann::json j = {{"time", e.at.ToIso8601()},
                        {"kind", std::string(model::EventKindName(e.kind))},
                        {"question", std::to_string(e.thread.id)},
                        {"answer", e.answer ? nlohmann::json(std::to_string(*e.answer)) : nullptr},
                        {"revision", e.revision > 0 ? nlohmann::json(e.revision) : nullptr},
                        {"details", e.details},
                        {"author", f ? nlohmann::json(f->author) : nullptr},
                        {"updated_time", revised && f->updated_at
                                             ? nlohmann::json(f->updated_at->ToIso8601())
                                             : nullptr},
                        {"added", made_here ? nlohmann::json(f->size.added) : nullptr},
                        {"removed", made_here ? nlohmann::json(f->size.removed) : nullptr}};
    std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return;
  }
  std::string line = HumanTime(e.at) + "  " + std::string(model::EventKindName(e.kind));
  if (e.answer) line += "  answer " + std::to_string(*e.answer);
  if (e.revision > 0) line += " r" + std::to_string(e.revision);
  if (f != nullptr) {
    if (revised) {
      line += "  " + FactsText(*f, made_here);
    } else if (!f->author.empty()) {
      line += "  by " + f->author;
    }
  }
  if (!e.details.empty()) line += "  " + e.details;
  std::printf("%s\n", TerminalSafe(line).c_str());
}

int RunHistory(const HistoryArgs& args, const GlobalOptions& global) {
  Result<store::ThreadKey> key = ParseQuestion(args.question);
  if (!key.ok()) return PrintError("history", key.status()), kExitUsage;
  store::EventQuery query{*key, std::nullopt, std::nullopt};
  if (!args.answer.empty()) {
    const Result<fetch::AnswerRef> ref = fetch::ParseAnswerRef(args.answer);
    if (!ref.ok()) return PrintError("history", "--answer: " + ref.status().message()), kExitUsage;
    if (ref->question && *ref->question != key->id) {
      return PrintError("history", "--answer '" + args.answer + "' names question " +
                                       std::to_string(*ref->question) + ", not " +
                                       std::to_string(key->id)),
             kExitUsage;
    }
    query.answer = ref->answer;
  }
  if (!args.since.empty()) {
    Result<Timestamp> since = ParseTime("--since", args.since);
    if (!since.ok()) return PrintError("history", since.status()), kExitUsage;
    query.since = *since;
  }
  auto archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) return PrintError("history", archive.status()), OpenArchiveExit(archive.status());
  if (Status st = RequireThread(**archive, *key); !st.ok()) {
    return PrintError("history", st), ExitFor(st, true);
  }
  if (query.answer) {
    auto revs = (*archive)->Revisions({key->source, *query.answer, key->id});
    if (!revs.ok() && revs.status().code() != Status::Code::kNotFound) {
      return PrintError("history", revs.status()), kExitFailure;
    }
    if (!revs.ok() || revs->empty()) {
      return PrintError("history", "answer " + std::to_string(*query.answer) + " is not an answer of question " +
                                       std::to_string(key->id) + " in the archive"),
             kExitUsage;
    }
  }
  auto events = (*archive)->Events(query);
  if (!events.ok()) return PrintError("history", events.status()), kExitFailure;
  FactsByAnswer facts;
  for (const store::EventRecord& e : *events) {
    if (!e.answer || facts.count(*e.answer)) continue;
    auto f = FactsOf(**archive, {key->source, *e.answer, key->id});
    if (!f.ok()) return PrintError("history", f.status()), kExitFailure;
    facts.emplace(*e.answer, std::move(*f));
  }
  for (const store::EventRecord& e : *events) PrintEvent(e, FactsFor(e, facts), args.json);
  return kExitOk;
}

}  // namespace

void AddHistoryVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto args = std::make_shared<HistoryArgs>();
  CLI::App* cmd = app.add_subcommand("history", "what changed in a thread, oldest first");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd->add_option("question", args->question, "question URL or id")->required();
  cmd->add_option("--answer", args->answer, "only this answer's events (answer id or URL)");
  cmd->add_option("--since", args->since,
                  "only events at or after TIME (ISO 8601, or 24h, 7d, today, yesterday)");
  cmd->add_flag("--json", args->json, "one JSON object per line");
  cmd->callback([args, &global, run] { *run = [args, &global] { return RunHistory(*args, global); }; });
}

}  // namespace archivist::cli
