// cli/usage: what the command line says when it is used wrongly, and `archivist help`.
//
// docs/cli.md promises that every error on stderr reads `archivist <verb>: <message>`. The
// verbs print their own errors that way; this module does the same for what CLI11 rejects
// while parsing (a missing argument, an unknown option, a bad number), and catches a mistyped
// verb before CLI11 does, with the closest verbs as a suggestion:
//
//   archivist: unknown verb "lsit"; did you mean "list"?
//
// Not thread-safe (it prints); called once from main().
#ifndef ARCHIVIST_CLI_USAGE_H_
#define ARCHIVIST_CLI_USAGE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/verbs.h"

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace archivist::cli {

// `help [verb]`: the program's help, or one verb's, on stdout (exit 0); an unknown verb is
// reported like a mistyped one (exit 2).
void AddHelpVerb(CLI::App& app, Runner* run);

// Finds the verb among the arguments (skipping the global options and their values). When
// it is not a verb of `app`, prints the unknown-verb message and returns kExitUsage; else
// nullopt (no verb at all is left to the parser, so --help and --version still work).
std::optional<int> CheckVerb(const CLI::App& app, int argc, const char* const* argv);

// Prints a parse error as `archivist <verb>: <message> (see `archivist help <verb>`)`, or the
// help or version that the error carries, and returns the exit status (0 or kExitUsage).
int ReportParseError(CLI::App& app, const CLI::ParseError& error);

// The verbs `word` may have meant: the one verb it starts, if exactly one, then the verbs
// closest by edit distance with transpositions; empty when nothing is close.
std::vector<std::string> SuggestVerbs(std::string_view word, const std::vector<std::string>& verbs);

// `unknown verb "lsit"; did you mean "list"?` (without the program prefix).
std::string UnknownVerbMessage(std::string_view word, const std::vector<std::string>& verbs);

}  // namespace archivist::cli

#endif  // ARCHIVIST_CLI_USAGE_H_
