// Usage errors and `archivist help` (see usage.h).
//
// The suggestion uses the optimal-string-alignment distance (Levenshtein plus adjacent
// transpositions, so "lsit" is one step from "list"), accepting a distance of at most 1 for
// words of up to four letters and 2 for longer ones: close enough to be a typo, far enough
// that "foo" suggests nothing. A word that starts exactly one verb ("hist") suggests it
// first.
#include "cli/usage.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>

namespace archivist::cli {
namespace {

size_t Distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::vector<std::string> VerbNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

// The verb that was being parsed when the error came ("" if none).
std::string ParsedVerb(const CLI::App& app) {
  const std::vector<CLI::App*> parsed = app.get_subcommands();
  return parsed.empty() ? std::string() : parsed.front()->get_name();
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

std::vector<std::string> SuggestVerbs(std::string_view word, const std::vector<std::string>& verbs) {
  std::vector<std::string> out;
  if (word.size() >= 2) {
    for (const std::string& v : verbs) {
      if (v.starts_with(word)) out.push_back(v);
    }
    if (out.size() > 1) out.clear();  // "re": refresh, remove, renormalize: no guess
  }
  const size_t limit = word.size() <= 4 ? 1 : 2;
  size_t best = limit + 1;
  std::vector<std::string> close;
  for (const std::string& v : verbs) {
    const size_t d = Distance(word, v);
    if (d < best) close.clear(), best = d;
    if (d == best) close.push_back(v);
  }
  for (std::string& v : close) {
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(std::move(v));
  }
  return out;
}

std::string UnknownVerbMessage(std::string_view word, const std::vector<std::string>& verbs) {
  std::string msg = "unknown verb " + Quoted(word);
  const std::vector<std::string> close = SuggestVerbs(word, verbs);
  if (close.empty()) return msg + " (`archivist help` lists the verbs)";
  msg += "; did you mean ";
  for (size_t i = 0; i < close.size(); ++i) {
    if (i > 0) msg += i + 1 == close.size() ? " or " : ", ";
    msg += Quoted(close[i]);
  }
  return msg + "?";
}

std::optional<int> CheckVerb(const CLI::App& app, int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") return std::nullopt;
    if (arg.size() > 1 && arg.front() == '-') {
      if (arg.find('=') != std::string_view::npos) continue;
      const CLI::Option* opt = app.get_option_no_throw(std::string(arg));
      if (opt != nullptr && opt->get_items_expected_min() > 0) ++i;  // its value
      continue;
    }
    const std::vector<std::string> verbs = VerbNames(app);
    if (std::find(verbs.begin(), verbs.end(), arg) != verbs.end()) return std::nullopt;
    std::fprintf(stderr, "archivist: %s\n", UnknownVerbMessage(arg, verbs).c_str());
    return kExitUsage;
  }
  return std::nullopt;
}

int ReportParseError(CLI::App& app, const CLI::ParseError& error) {
  if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
  const std::string verb = ParsedVerb(app);
  std::string message = error.what();
  if (verb.empty() && dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
    message = "no verb given";
  }
  const std::string prefix = verb.empty() ? "archivist" : "archivist " + verb;
  const std::string help = verb.empty() ? "archivist help" : "archivist help " + verb;
  std::fprintf(stderr, "%s: %s (see `%s`)\n", prefix.c_str(), message.c_str(), help.c_str());
  return kExitUsage;
}

void AddHelpVerb(CLI::App& app, Runner* run) {
  auto verb = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("help", "this help, or a verb's: help [verb]");
  cmd->add_option("verb", *verb, "the verb to explain");
  cmd->callback([&app, verb, run] {
    *run = [&app, verb] {
      if (verb->empty()) {
        std::fputs(app.get_formatter()->make_help(&app, "archivist", CLI::AppFormatMode::Normal).c_str(),
                   stdout);
        return kExitOk;
      }
      const std::vector<std::string> verbs = VerbNames(app);
      if (std::find(verbs.begin(), verbs.end(), *verb) == verbs.end()) {
        std::fprintf(stderr, "archivist help: %s\n", UnknownVerbMessage(*verb, verbs).c_str());
        return kExitUsage;
      }
      std::fputs(app.get_subcommand(*verb)->help("archivist").c_str(), stdout);
      return kExitOk;
    };
  });
}

}  // namespace archivist::cli
