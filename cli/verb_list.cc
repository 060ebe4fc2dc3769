// `archivist list [--json]`: the tracked threads with status, answers, last change, next due;
// the text paged on a terminal when long (cli/pager.h).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

#include "base/terminal_text.h"
#include "cli/archive.h"
#include "cli/pager.h"

namespace archivist::cli {
namespace {

nlohmann::json TimeOrNull(const std::optional<Timestamp>& t) {
  return t ? nlohmann::json(t->ToIso8601()) : nlohmann::json(nullptr);
}

std::string TimeOrDash(const std::optional<Timestamp>& t) {
  return t ? HumanTime(*t) : "-";
}

int RunList(bool json, const GlobalOptions& global) {
  auto archive = OpenArchiveToRead(global, "list");
  if (!archive.ok()) return PrintError("list", archive.status()), OpenArchiveExit(archive.status());
  auto threads = (*archive)->ListThreads();
  if (!threads.ok()) return PrintError("list", threads.status()), kExitFailure;
  std::string text;  // for a person: paged on a terminal when long (cli/pager.h)
  for (const store::ThreadSummary& t : *threads) {
    const std::optional<Timestamp> due =
        t.schedule ? std::optional<Timestamp>(t.schedule->next_due) : std::nullopt;
    if (json) {
      nlohmann::json j = {{"question", std::to_string(t.key.id)},
                          {"source", t.key.source},
                          {"title", t.title},
                          {"tracking", std::string(store::TrackingName(t.tracking))},
                          {"gone", t.gone},
                          {"answers", t.present_answers},
                          {"added_at", t.added_at.ToIso8601()},
                          {"first_archived", TimeOrNull(t.first_archived)},
                          {"last_change", TimeOrNull(t.last_event)},
                          {"last_fetch", TimeOrNull(t.last_fetch)},
                          {"last_outcome", t.last_outcome},
                          {"next_due", TimeOrNull(due)}};
      std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else {
      char head[64];
      std::snprintf(head, sizeof head, "%llu  ", static_cast<unsigned long long>(t.key.id));
      text += head + std::string(store::TrackingName(t.tracking)) + (t.gone ? " (gone)" : "") +
              "  " + std::to_string(t.present_answers) + " answers  last change " +
              TimeOrDash(t.last_event) + "  last fetch " + TimeOrDash(t.last_fetch) +
              (t.last_outcome.empty() ? "" : " (" + TerminalSafe(t.last_outcome) + ")") +
              "  next due " + (due ? HumanTime(*due) : "now") + "  " + TerminalSafe(t.title) +
              "\n";
    }
  }
  if (json) return kExitOk;
  return WritePaged(text, global.no_pager) ? kExitOk : kExitFailure;
}

}  // namespace

void AddListVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("list", "tracked threads: status, answers, last change, next due");
  cmd->add_flag("--json", *json, "one JSON object per line");
  cmd->callback([json, &global, run] { *run = [json, &global] { return RunList(*json, global); }; });
}

}  // namespace archivist::cli
