// `archivist diff <answer> [--question Q] [--from REV] [--to REV]` (an answer id or URL):
// unified diff of an answer's Markdown between two revisions (usable with `patch`). Defaults:
// --to the latest revision, --from the one before it; revision 0 is the empty text (before
// the answer existed). An answer id stored under several questions needs its question: from
// the answer URL or --question (store.h AnswerKey).
//
// Before the diff, lines say who and how much (cli/revision_facts.h): the answer's author,
// each side's time seen and source edit time, the size of the change; `patch` skips them.
// --words marks changes inside the lines, as `git diff --word-diff=plain` does
// (diff/word_diff.h), with jieba's words for Chinese text (loaded as `tags` loads it).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <map>
#include <memory>

#include "base/terminal_text.h"
#include "cli/archive.h"
#include "cli/revision_facts.h"
#include "diff/unified_diff.h"
#include "diff/word_diff.h"
#include "fetch/sources/zhihu_url.h"
#include "tags/jieba.h"

namespace archivist::cli {
namespace {

struct DiffArgs {
  std::string answer, question;
  int from = -1, to = -1;
  bool words = false;
};

// "answer ID by NAME" and a line per side; "" for the sides' facts unknown.
std::string Header(const std::string& id, const std::map<int, RevisionFacts>& facts, int from,
                   int to, const diff::EditSize& size) {
  const auto side = [&](int n) {
    if (n == 0) return std::string("r0  (nothing: before the answer existed)\n");
    auto f = facts.find(n);
    if (f == facts.end()) return std::string();
    return "r" + std::to_string(n) + "  seen " + HumanTime(f->second.observed_at) + "  " +
           FactsText(f->second, /*with_size=*/false) + "\n";
  };
  auto latest = facts.find(to);
  std::string out = "answer " + id;
  if (latest != facts.end() && !latest->second.author.empty()) out += " by " + latest->second.author;
  out += "\n" + side(from) + side(to) + "size +" + std::to_string(size.added) + " -" +
         std::to_string(size.removed) + "\n";
  return TerminalSafe(out, /*keep_layout=*/true);
}

Result<diff::Segmenter> LoadSegmenter() {
  Result<std::unique_ptr<tags::Jieba>> jieba = tags::Jieba::Load({});
  if (!jieba.ok()) return jieba.status().WithContext("--words: loading jieba");
  std::shared_ptr<const tags::Jieba> shared(std::move(*jieba));
  return diff::Segmenter([shared](std::string_view run) {
    Result<std::vector<std::string>> words = shared->Cut(run);
    return words.ok() ? std::move(*words) : std::vector<std::string>();
  });
}

// The diff of revision `from` (text a) and `to` (text b): unified, or word-marked.
Result<std::string> Render(const std::string& a, const std::string& b, bool words,
                           const std::string& id, int from, int to) {
  const std::string from_label = id + "@r" + std::to_string(from);
  const std::string to_label = id + "@r" + std::to_string(to);
  if (!words) {
    diff::UnifiedDiffOptions options;
    options.from_label = from_label;
    options.to_label = to_label;
    return diff::UnifiedDiff(a, b, options);
  }
  Result<diff::Segmenter> segment = LoadSegmenter();
  if (!segment.ok()) return segment.status();
  diff::WordDiffOptions options;
  options.from_label = from_label;
  options.to_label = to_label;
  options.segment = std::move(*segment);
  return diff::WordDiff(a, b, options);
}

Result<std::string> MarkdownOf(store::Store& archive, const store::AnswerKey& key, int number) {
  if (number == 0) return std::string();
  auto rev = archive.GetRevision(key, number);
  if (!rev.ok()) return rev.status();
  return rev->markdown;
}

int RunDiff(const DiffArgs& args, const GlobalOptions& global) {
  const Result<fetch::AnswerRef> ref = fetch::ParseAnswerRef(args.answer);
  if (!ref.ok()) return PrintError("diff", ref.status()), kExitUsage;
  store::AnswerKey key{std::string(store::kZhihu), ref->answer};
  if (ref->question) key.question = *ref->question;
  if (!args.question.empty()) {
    Result<store::ThreadKey> q = ParseQuestion(args.question);
    if (!q.ok()) return PrintError("diff", q.status().WithContext("--question")), kExitUsage;
    if (key.question != 0 && key.question != q->id) {
      return PrintError("diff", "--question " + std::to_string(q->id) +
                                    " is not the question of the answer URL " + args.answer),
             kExitUsage;
    }
    key.question = q->id;
  }
  const std::string id = std::to_string(ref->answer);
  auto archive = OpenArchive(global, /*read_only=*/true);
  if (!archive.ok()) return PrintError("diff", archive.status()), OpenArchiveExit(archive.status());
  auto revs = (*archive)->Revisions(key);
  if (!revs.ok() && revs.status().code() == Status::Code::kInvalidArgument) {
    return PrintError("diff", revs.status().message() + " with --question"), kExitUsage;
  }
  if (!revs.ok() || revs->empty()) {
    if (!revs.ok() && revs.status().code() != Status::Code::kNotFound) {
      return PrintError("diff", revs.status()), kExitFailure;
    }
    return PrintError("diff", "answer " + id +
                                  (key.question == 0 ? " is not in the archive"
                                                     : " is not an answer of question " +
                                                           std::to_string(key.question) +
                                                           " in the archive")),
           kExitUsage;
  }
  const int latest = revs->back().number;
  const int to = args.to >= 0 ? args.to : latest;
  const int from = args.from >= 0 ? args.from : (to > 0 ? to - 1 : 0);
  for (const auto& [name, n] : {std::pair{"--to", to}, std::pair{"--from", from}}) {
    if (n > latest) {
      return PrintError("diff", std::string(name) + " " + std::to_string(n) + ": answer " +
                                    id + " has revisions 1.." + std::to_string(latest)),
             kExitUsage;
    }
  }
  auto a = MarkdownOf(**archive, key, from);
  auto b = a.ok() ? MarkdownOf(**archive, key, to) : a;
  if (!a.ok() || !b.ok()) return PrintError("diff", a.ok() ? b.status() : a.status()), kExitFailure;
  auto facts = FactsOf(**archive, key);
  if (!facts.ok()) return PrintError("diff", facts.status()), kExitFailure;
  Result<std::string> out = Render(*a, *b, args.words, id, from, to);
  if (!out.ok()) return PrintError("diff", out.status()), kExitFailure;
  if (!out->empty()) *out = Header(id, *facts, from, to, diff::MeasureEdit(*a, *b)) + *out;
  return WriteLayoutText(*out) ? kExitOk : kExitFailure;
}

}  // namespace

void AddDiffVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* cmd = app.add_subcommand("diff", "unified diff of an answer's Markdown between revisions");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd->add_option("answer", args->answer, "answer id or URL")->required();
  cmd->add_option("--question", args->question,
                  "question URL or id (needed when the answer id is under several questions)");
  const CLI::Validator revision(
      [](std::string& s) {
        return s.find_first_not_of("0123456789") == std::string::npos && !s.empty() && s.size() < 10
                   ? std::string()
                   : "'" + s + "' is not a revision number (0, 1, 2, …)";
      },
      "REV");
  cmd->add_option("--from", args->from, "revision number (default: the one before --to; 0 = empty)")
      ->check(revision);
  cmd->add_option("--to", args->to, "revision number (default: the latest)")->check(revision);
  cmd->add_flag("--words", args->words,
                "mark changed words inside lines ([-old-]{+new+}; jieba words for Chinese)");
  cmd->callback([args, &global, run] { *run = [args, &global] { return RunDiff(*args, global); }; });
}

}  // namespace archivist::cli
