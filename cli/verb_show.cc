// `archivist show <question> [--at TIME]`: the thread's document as it was at TIME (default
// now), docs/format.md §1 with the keyword tags of §4 — byte for byte what an export written at
// that time contained (pipeline/document.h). On a terminal, control characters of the text
// are shown as escapes instead, and a long document is paged (cli/archive.h WriteLayoutText).
// --json prints the document's metadata as one object instead of its Markdown: the question,
// its title and author, the times, the tags and each answer's id, author, revision and times.
// --media local writes every stored image the document shows (the images of TIME) into
// --media-dir (default ./media) and links them there, by that folder's path as given.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>
#include <optional>

#include "base/clock.h"
#include "cli/archive.h"
#include "cli/load_config.h"
#include "media/local_media.h"

namespace archivist::cli {
namespace {

struct ShowArgs {
  std::string question, at;
  std::string media = "links", media_dir = "media";
  bool json = false;
};

std::string Iso(int64_t unix_seconds) { return Timestamp::FromSeconds(unix_seconds).ToIso8601(); }

// The metadata of the document of `key` at `at` (docs/cli.md "show").
Result<nlohmann::json> MetadataAt(store::Store& archive, const store::ThreadKey& key,
                                  Timestamp at, const pipeline::TagFunction& tagger) {
  Result<store::ThreadAt> thread = archive.ThreadAtTime(key, at, /*with_markdown=*/false);
  if (!thread.ok()) return thread.status();
  Result<std::vector<std::string>> tags = pipeline::TagsOf(archive, *thread, tagger);
  if (!tags.ok()) return tags.status();
  nlohmann::json answers = nlohmann::json::array();
  for (const store::AnswerAt& a : thread->answers) {
    Result<store::RevisionRecord> rev =
        archive.GetRevision(store::AnswerKey{key.source, a.id, key.id}, a.revision);
    if (!rev.ok()) return rev.status();
    answers.push_back({{"id", std::to_string(a.id)},
                       {"author", a.author_name},
                       {"revision", a.revision},
                       {"observed_at", rev->observed_at.ToIso8601()},
                       {"created_time", Iso(rev->created_time)},
                       {"updated_time", Iso(rev->updated_time)}});
  }
  return nlohmann::json{{"question", std::to_string(key.id)},
                        {"source", key.source},
                        {"title", thread->title},
                        {"author", thread->question_author},
                        {"at", at.ToIso8601()},
                        {"first_archived", thread->first_archived.ToIso8601()},
                        {"last_change", thread->last_event.ToIso8601()},
                        {"tags", *tags},
                        {"answers", std::move(answers)}};
}

int RunShow(const ShowArgs& args, const GlobalOptions& global) {
  Result<store::ThreadKey> key = ParseQuestion(args.question);
  if (!key.ok()) return PrintError("show", key.status()), kExitUsage;
  if (args.media != "links" && args.media != "local") {
    return PrintError("show", "--media must be \"links\" or \"local\", not \"" + args.media + "\""),
           kExitUsage;
  }
  if (args.media_dir.empty()) return PrintError("show", "--media-dir must not be empty"), kExitUsage;
  RealClock clock;
  Timestamp at = clock.WallNow();
  if (!args.at.empty()) {
    Result<Timestamp> t = ParseTime("--at", args.at);
    if (!t.ok()) return PrintError("show", t.status()), kExitUsage;
    at = *t;
  }
  auto archive = OpenArchiveToRead(global, "show");
  if (!archive.ok()) return PrintError("show", archive.status()), OpenArchiveExit(archive.status());
  if (Status st = RequireThread(**archive, *key); !st.ok()) {
    return PrintError("show", st), ExitFor(st, true);
  }
  auto tagger = LoadTagger();
  if (!tagger.ok()) return PrintError("show", tagger.status()), kExitFailure;
  if (args.json) {
    Result<nlohmann::json> meta = MetadataAt(**archive, *key, at, *tagger);
    if (!meta.ok()) return PrintError("show", meta.status()), kExitFailure;
    std::printf("%s\n", meta->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return std::fflush(stdout) == 0 ? kExitOk : kExitFailure;
  }
  std::optional<media::LocalMedia> local;
  if (args.media == "local") {
    const Result<config::Config> config = LoadEffectiveConfig(global);
    AtomicWriteOptions write;
    write.keep = (*archive)->Files();
    std::string prefix = args.media_dir;
    if (!prefix.empty() && prefix.back() != '/') prefix += '/';
    local.emplace(**archive, args.media_dir, prefix,
                  normalize::ImageLinkForms(config.ok() ? config->zhihu.image_proxy
                                               : std::string(normalize::kDefaultImageProxy)),
                  write);
  }
  Result<std::string> doc = pipeline::RenderThreadAt(
      **archive, *key, at, *tagger, {}, local ? local->For(*key) : pipeline::MarkdownRewrite());
  if (!doc.ok()) return PrintError("show", doc.status()), kExitFailure;
  return WriteLayoutText(*doc, global.no_pager) ? kExitOk : kExitFailure;
}

}  // namespace

void AddShowVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* cmd = app.add_subcommand("show", "the thread's document as it was at TIME");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd->add_option("question", args->question, "question URL or id")->required();
  cmd->add_option("--at", args->at, "TIME: ISO 8601, or 24h, 7d, today, yesterday (default: now)");
  cmd->add_option("--media", args->media,
                  "links: image links as stored (default); local: the stored images written "
                  "into --media-dir and linked there");
  cmd->add_option("--media-dir", args->media_dir,
                  "DIR: where --media local writes the images (default ./media)");
  cmd->add_flag("--json", args->json,
                "the document's metadata as one JSON object (title, answers, tags), not its text");
  cmd->callback([args, &global, run] { *run = [args, &global] { return RunShow(*args, global); }; });
}

}  // namespace archivist::cli
