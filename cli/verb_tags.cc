// archivist tags [--jieba-dir DIR] [--no-cache]
//
// The keyword tags (docs/format.md §4) of the text on stdin: what python3-jieba's
// jieba.analyse.extract_tags(text, topK=5) returns, printed on one line, comma-separated
// (an empty line when there are none). Exit 1 if the jieba data cannot be loaded, 2 if
// stdin is not UTF-8.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/verbs.h"
#include "tags/jieba.h"

namespace archivist::cli {

namespace {

struct TagsArgs {
  std::string jieba_dir = tags::kDefaultJiebaDir;
  bool no_cache = false;
};

int RunTags(const TagsArgs& args) {
  std::ostringstream ss;
  ss << std::cin.rdbuf();
  if (std::cin.bad()) {
    std::fprintf(stderr, "archivist tags: cannot read standard input: %s\n", std::strerror(errno));
    return kExitFailure;
  }
  tags::JiebaOptions options;
  options.data_dir = args.jieba_dir;
  options.use_cache = !args.no_cache;
  Result<std::unique_ptr<tags::Jieba>> jieba = tags::Jieba::Load(options);
  if (!jieba.ok()) {
    std::fprintf(stderr, "archivist tags: %s\n", jieba.status().ToString().c_str());
    return kExitFailure;
  }
  Result<std::vector<std::string>> keywords = (*jieba)->ExtractTags(ss.str(), 5);
  if (!keywords.ok()) {
    std::fprintf(stderr, "archivist tags: standard input: %s\n",
                 keywords.status().ToString().c_str());
    return kExitUsage;
  }
  std::string line;
  for (const std::string& k : *keywords) line += (line.empty() ? "" : ",") + k;
  std::printf("%s\n", line.c_str());
  return kExitOk;
}

}  // namespace

void AddTagsVerb(CLI::App& app, const GlobalOptions& /*global*/, Runner* run) {
  auto args = std::make_shared<TagsArgs>();
  CLI::App* cmd = app.add_subcommand("tags", "keyword tags of the text on stdin (jieba TF-IDF)");
  cmd->add_option("--jieba-dir", args->jieba_dir,
                  "jieba 0.42.1 package directory with dict.txt etc. (Debian python3-jieba)")
      ->capture_default_str();
  cmd->add_flag("--no-cache", args->no_cache,
                "read the data files, not the compiled cache ($XDG_CACHE_HOME/archivist)");
  cmd->callback([args, run] { *run = [args] { return RunTags(*args); }; });
}

}  // namespace archivist::cli
