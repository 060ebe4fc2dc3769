// `archivist changes [--since TIME] [--json]`: every event of the whole archive since TIME
// (default 24h ago), oldest first (ties in commit order), from one query (Store::Changes).
// Human output groups the events by thread — the thread's title as a heading, in the order
// of each thread's first event, then its events — with server text made TerminalSafe.
// --json prints one object per line, in time order: time, kind, question, title, answer,
// revision, author, details (docs/cli.md).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <memory>
#include <vector>

#include "base/terminal_text.h"
#include "cli/archive.h"

namespace archivist::cli {
namespace {

struct ChangesArgs {
  std::string since = "24h";
  bool json = false;
};

void PrintJson(const store::ChangeRecord& c) {
  const store::EventRecord& e = c.event;
  nlohmann::json j = {{"time", e.at.ToIso8601()},
                      {"kind", std::string(model::EventKindName(e.kind))},
                      {"question", std::to_string(e.thread.id)},
                      {"title", c.title},
                      {"answer", e.answer ? nlohmann::json(std::to_string(*e.answer)) : nullptr},
                      {"revision", e.revision > 0 ? nlohmann::json(e.revision) : nullptr},
                      {"author", e.answer ? nlohmann::json(c.author) : nullptr},
                      {"details", e.details}};
  std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

std::string EventLine(const store::ChangeRecord& c) {
  const store::EventRecord& e = c.event;
  std::string line = "  " + HumanTime(e.at) + "  " + std::string(model::EventKindName(e.kind));
  if (e.answer) line += "  answer " + std::to_string(*e.answer);
  if (e.revision > 0) line += " r" + std::to_string(e.revision);
  if (e.answer && !c.author.empty()) line += "  by " + c.author;
  if (!e.details.empty()) line += "  " + e.details;
  return TerminalSafe(line);
}

// Threads in the order of their first event in the window; each thread's events in order.
void PrintGrouped(const std::vector<store::ChangeRecord>& changes) {
  std::vector<std::vector<const store::ChangeRecord*>> groups;
  std::map<std::pair<std::string, model::QuestionId>, size_t> index;
  for (const store::ChangeRecord& c : changes) {
    const auto key = std::make_pair(c.event.thread.source, c.event.thread.id);
    auto [it, fresh] = index.emplace(key, groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(&c);
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    const store::ChangeRecord& first = *groups[g].front();
    const std::string title = first.title.empty() ? "(untitled)" : first.title;
    std::printf("%s%s\n", g ? "\n" : "",
                TerminalSafe(std::to_string(first.event.thread.id) + "  " + title).c_str());
    for (const store::ChangeRecord* c : groups[g]) std::printf("%s\n", EventLine(*c).c_str());
  }
}

int RunChanges(const ChangesArgs& args, const GlobalOptions& global) {
  Result<Timestamp> since = ParseTime("--since", args.since);
  if (!since.ok()) return PrintError("changes", since.status()), kExitUsage;
  auto archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) {
    return PrintError("changes", archive.status()), OpenArchiveExit(archive.status());
  }
  auto changes = (*archive)->Changes(*since);
  if (!changes.ok()) return PrintError("changes", changes.status()), kExitFailure;
  if (args.json) {
    for (const store::ChangeRecord& c : *changes) PrintJson(c);
  } else {
    PrintGrouped(*changes);
  }
  return kExitOk;
}

}  // namespace

void AddChangesVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto args = std::make_shared<ChangesArgs>();
  CLI::App* cmd = app.add_subcommand("changes", "what changed across the whole archive, oldest first");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd->add_option("--since", args->since,
                  "events at or after TIME (ISO 8601, or 24h, 7d, today, yesterday; default 24h)");
  cmd->add_flag("--json", args->json, "one JSON object per line");
  cmd->callback([args, &global, run] { *run = [args, &global] { return RunChanges(*args, global); }; });
}

}  // namespace archivist::cli
