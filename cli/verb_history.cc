// `archivist history <question> [--answer ID] [--since TIME] [--json]`: the thread's events,
// oldest first. --json prints one object per line with the fields documented in docs/cli.md:
// time, kind, question, answer, revision, details. On a terminal the kinds are coloured (not
// with NO_COLOR) and a long history is paged (cli/pager.h).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

#include "base/terminal_text.h"
#include "cli/archive.h"
#include "cli/pager.h"
#include "fetch/sources/zhihu_url.h"

namespace archivist::cli {
namespace {

struct HistoryArgs {
  std::string question, answer, since;
  bool json = false;
};

// Additions green, edits yellow, deletions and a gone thread red, the rest cyan.
Colour KindColour(model::EventKind kind) {
  switch (kind) {
    case model::EventKind::kAnswerAdded:
    case model::EventKind::kThreadAdded:
    case model::EventKind::kThreadReturned: return Colour::kGreen;
    case model::EventKind::kAnswerEdited:
    case model::EventKind::kTitleChanged: return Colour::kYellow;
    case model::EventKind::kAnswerDeleted:
    case model::EventKind::kThreadGone: return Colour::kRed;
    case model::EventKind::kAnswerRestored: break;
  }
  return Colour::kCyan;
}

// The event as a text line for a person (TerminalSafe; `colour`: the kind coloured).
std::string EventLine(const store::EventRecord& e, bool colour) {
  const std::string kind(model::EventKindName(e.kind));
  std::string line = TerminalSafe(HumanTime(e.at)) + "  " +
                     (colour ? Paint(kind, KindColour(e.kind)) : kind);
  std::string rest;
  if (e.answer) rest += "  answer " + std::to_string(*e.answer);
  if (e.revision > 0) rest += " r" + std::to_string(e.revision);
  if (!e.details.empty()) rest += "  " + e.details;
  return line + TerminalSafe(rest) + "\n";
}

void PrintEvent(const store::EventRecord& e, bool json) {
  if (json) {
    nlohmann::json j = {{"time", e.at.ToIso8601()},
                        {"kind", std::string(model::EventKindName(e.kind))},
                        {"question", std::to_string(e.thread.id)},
                        {"answer", e.answer ? nlohmann::json(std::to_string(*e.answer)) : nullptr},
                        {"revision", e.revision > 0 ? nlohmann::json(e.revision) : nullptr},
                        {"details", e.details}};
    std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  }
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
  auto archive = OpenArchiveToRead(global, "history");
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
  if (args.json) {
    for (const store::EventRecord& e : *events) PrintEvent(e, true);
    return kExitOk;
  }
  const bool colour = ColourWanted();
  std::string text;
  for (const store::EventRecord& e : *events) text += EventLine(e, colour);
  return WritePaged(text, global.no_pager) ? kExitOk : kExitFailure;
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
