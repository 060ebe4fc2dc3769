// archivist convert [--profile zhihu|plain] [--image-proxy URL] [FILE… --out-dir DIR]
//
// HTML on stdin → Markdown on stdout (nothing else on stdout), or each FILE X.html →
// DIR/X.md in one process. Input that is not UTF-8 is still converted, as a browser would.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "base/atomic_file.h"
#include "cli/verbs.h"
#include "normalize/normalize.h"

namespace archivist::cli {

namespace {

namespace fs = std::filesystem;

struct ConvertArgs {
  std::string profile = "zhihu";
  std::string image_proxy = std::string(normalize::kDefaultImageProxy);
  std::vector<std::string> files;
  std::string out_dir;
};

bool ReadAll(std::istream& in, std::string* out) {
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return !in.bad();
}

int RunConvert(const ConvertArgs& args) {
  normalize::Options options;
  options.profile =
      args.profile == "plain" ? normalize::Profile::kPlain : normalize::Profile::kZhihu;
  options.image_proxy = args.image_proxy;

  if (args.files.empty()) {
    if (!args.out_dir.empty()) {
      std::fprintf(stderr, "archivist convert: --out-dir needs input FILEs\n");
      return kExitUsage;
    }
    std::string html;
    if (!ReadAll(std::cin, &html)) {
      std::fprintf(stderr, "archivist convert: cannot read standard input: %s\n",
                   std::strerror(errno));
      return kExitFailure;
    }
    const std::string md = normalize::HtmlToMarkdown(html, options);
    std::fwrite(md.data(), 1, md.size(), stdout);
    return std::fflush(stdout) == 0 ? kExitOk : kExitFailure;
  }
  if (args.out_dir.empty()) {
    std::fprintf(stderr, "archivist convert: FILEs need --out-dir DIR\n");
    return kExitUsage;
  }
  std::error_code ec;
  fs::create_directories(args.out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "archivist convert: cannot create output directory %s: %s\n",
                 args.out_dir.c_str(), ec.message().c_str());
    return kExitFailure;
  }
  int rc = kExitOk;
  for (const std::string& file : args.files) {
    std::ifstream in(file, std::ios::binary);
    std::string html;
    if (!in || !ReadAll(in, &html) || fs::is_directory(file)) {
      std::fprintf(stderr, "archivist convert: cannot read %s: %s\n", file.c_str(),
                   fs::is_directory(file) ? "is a directory" : std::strerror(errno));
      rc = kExitFailure;
      continue;
    }
    fs::path out = fs::path(args.out_dir) / fs::path(file).filename();
    out.replace_extension(".md");
    // Readers never see a half-written file; a batch of conversions is cheap to redo, so
    // no fsync per file.
    AtomicWriteOptions write;
    write.durable = false;
    if (Status st = WriteFileAtomically(out.string(), normalize::HtmlToMarkdown(html, options), write);
        !st.ok()) {
      std::fprintf(stderr, "archivist convert: cannot write %s: %s\n", out.c_str(),
                   st.message().c_str());
      rc = kExitFailure;
    }
  }
  return rc;
}

}  // namespace

void AddConvertVerb(CLI::App& app, const GlobalOptions& /*global*/, Runner* run) {
  auto args = std::make_shared<ConvertArgs>();
  CLI::App* sub = app.add_subcommand("convert", "convert answer HTML to Markdown (docs/format.md)");
  sub->add_option("--profile", args->profile, "zhihu (default) or plain (turndown 7.2.2)")
      ->check(CLI::IsMember({"zhihu", "plain"}));
  sub->add_option("--image-proxy", args->image_proxy,
                  "prefix for image URLs in profile zhihu; \"\" keeps them as they are");
  sub->add_option("files", args->files, "HTML files; each X.html becomes DIR/X.md");
  sub->add_option("--out-dir", args->out_dir, "output directory for FILEs");
  sub->callback([args, run] { *run = [args] { return RunConvert(*args); }; });
}

}  // namespace archivist::cli
