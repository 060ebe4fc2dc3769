// `archivist media <question|answer> [--answer A] [--json]`: the images of a thread's
// revisions (of one answer: an answer URL or id names it), each with its status (stored, pending, not_found, forbidden, too_large, failed
// and why), size and SHA-256; `archivist media --check`: every stored image's bytes hashed
// again against its name (docs/media.md). Exit 1 when an image does not match.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

#include "base/terminal_text.h"
#include "cli/archive.h"
#include "fetch/sources/zhihu_url.h"
#include "media/sha256.h"

namespace archivist::cli {
namespace {

struct MediaArgs {
  std::string target, answer;
  bool json = false;
  bool check = false;
};

nlohmann::json RefJson(const store::MediaRefRecord& r) {
  return {{"answer", std::to_string(r.answer.id)},
          {"revision", r.revision},
          {"position", r.position},
          {"url", r.url},
          {"status", std::string(store::MediaStatusName(r.status))},
          {"reason", r.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.reason)},
          {"http_status", r.http_status},
          {"attempts", r.attempts},
          {"sha256", r.sha256.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.sha256)},
          {"media_type", r.media_type.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.media_type)},
          {"size", r.sha256.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.size)},
          {"fetched_at", r.fetched_at ? nlohmann::json(r.fetched_at->ToIso8601()) : nlohmann::json(nullptr)}};
}

std::string RefLine(const store::MediaRefRecord& r) {
  std::string line = std::to_string(r.answer.id) + "  r" + std::to_string(r.revision) + "  " +
                     std::string(store::MediaStatusName(r.status));
  if (r.status == store::MediaStatus::kStored) {
    line += "  " + std::to_string(r.size) + " B  " + r.sha256;
  } else if (!r.reason.empty()) {
    line += " (" + r.reason + ")";
  }
  return TerminalSafe(line + "  " + r.url);
}

int RunCheck(const GlobalOptions& global) {
  auto archive = OpenArchiveToRead(global, "media");
  if (!archive.ok()) return PrintError("media", archive.status()), OpenArchiveExit(archive.status());
  int checked = 0, bad = 0;
  const Status st = (*archive)->ForEachMedia([&](const store::MediaBlob& blob) {
    ++checked;
    const std::string actual = media::Sha256Hex(blob.data);
    if (actual != blob.sha256) {
      ++bad;
      PrintError("media", "image " + blob.sha256 + " is damaged: its bytes hash to " + actual);
    }
    return Status::Ok();
  });
  if (!st.ok()) return PrintError("media", st), kExitFailure;
  std::printf("checked %d images: %d damaged\n", checked, bad);
  return bad == 0 ? kExitOk : kExitFailure;
}

int RunMedia(const MediaArgs& args, const GlobalOptions& global) {
  if (args.check) return RunCheck(global);
  if (args.target.empty()) {
    return PrintError("media", "name a question (or an answer URL), or give --check"), kExitUsage;
  }
  std::optional<model::AnswerId> answer;
  Result<store::ThreadKey> key = ParseQuestion(args.target);
  if (const Result<fetch::AnswerRef> ref = fetch::ParseAnswerRef(args.target);
      ref.ok() && ref->question) {
    key = store::ThreadKey{std::string(store::kZhihu), *ref->question};
    answer = ref->answer;
  }
  if (!key.ok()) return PrintError("media", key.status()), kExitUsage;
  if (!args.answer.empty()) {
    const Result<fetch::AnswerRef> ref = fetch::ParseAnswerRef(args.answer);
    if (!ref.ok()) return PrintError("media", "--answer: " + ref.status().message()), kExitUsage;
    answer = ref->answer;
  }
  auto archive = OpenArchiveToRead(global, "media");
  if (!archive.ok()) return PrintError("media", archive.status()), OpenArchiveExit(archive.status());
  Status known = RequireThread(**archive, *key);
  if (known.code() == Status::Code::kNotFound && !answer) {
    // A bare id that is no question may be an answer's: its revisions name its question.
    auto revisions = (*archive)->Revisions({std::string(store::kZhihu), key->id, 0});
    if (revisions.ok() && !revisions->empty()) {
      answer = key->id;
      key = store::ThreadKey{std::string(store::kZhihu), revisions->front().question};
      known = Status::Ok();
    }
  }
  if (!known.ok()) return PrintError("media", known), ExitFor(known, true);
  auto refs = (*archive)->MediaRefs(*key, answer);
  if (!refs.ok()) return PrintError("media", refs.status()), kExitFailure;
  for (const store::MediaRefRecord& r : *refs) {
    if (args.json) {
      std::printf("%s\n", RefJson(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else {
      std::printf("%s\n", RefLine(r).c_str());
    }
  }
  return std::fflush(stdout) == 0 ? kExitOk : kExitFailure;
}

}  // namespace

void AddMediaVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto args = std::make_shared<MediaArgs>();
  CLI::App* cmd = app.add_subcommand("media", "the images of a thread's answers, or --check them all");
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cmd->add_option("question", args->target, "question URL or id, or an answer URL or id");
  cmd->add_option("--answer", args->answer, "only this answer's images (id or URL)");
  cmd->add_flag("--json", args->json, "one JSON object per image link per line");
  cmd->add_flag("--check", args->check,
                "hash every stored image again and report any that does not match its name");
  cmd->callback([args, &global, run] { *run = [args, &global] { return RunMedia(*args, global); }; });
}

}  // namespace archivist::cli
