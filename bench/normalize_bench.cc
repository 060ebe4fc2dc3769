// Throughput of the converter on every fixture answer, beside gumbo's bare parse of the same
// inputs with the same options (what the converter would pay on gumbo alone), how many answers
// take the fast path (normalize/fast_parse.h) instead of gumbo, and peak RSS.
//
//   build/bench/normalize_bench [tests/data] [seconds-per-measurement]
//
// bench/normalize_bench.sh runs this and turndown 7.2.2 itself (bench/turndown_bench.js) on
// the same files and prints the ratios. This file links gumbo directly, on purpose: it
// measures gumbo itself.
#include <gumbo.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "normalize/fast_parse.h"
#include "normalize/html_input.h"
#include "normalize/normalize.h"

namespace {

namespace fs = std::filesystem;
using archivist::normalize::HtmlToMarkdown;

std::vector<std::string> LoadAnswers(const fs::path& data) {
  std::vector<std::string> out;
  std::vector<fs::path> files;
  for (const char* set : {"zhihu/questions", "seed/questions"}) {
    for (const auto& e : fs::directory_iterator(data / set)) files.push_back(e.path() / "answers.json");
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    for (const auto& a : nlohmann::json::parse(ss.str())) out.push_back(a["content"].get<std::string>());
  }
  return out;
}

// Runs `pass` over the corpus until `seconds` have elapsed; returns MB/s of input HTML.
double Throughput(const std::vector<std::string>& corpus, double seconds,
                  const std::function<void(const std::string&)>& pass) {
  size_t bytes = 0;
  for (const auto& s : corpus) bytes += s.size();
  for (const auto& s : corpus) pass(s);  // warm-up
  const auto start = std::chrono::steady_clock::now();
  size_t rounds = 0;
  double elapsed = 0;
  do {
    for (const auto& s : corpus) pass(s);
    ++rounds;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (elapsed < seconds);
  return bytes * rounds / 1e6 / elapsed;
}

void GumboParse(const std::string& html) {
  const std::string wrapped = "<dir id=\"turndown-root\">" + html + "</x-turndown>";
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  GumboOutput* out = gumbo_parse_with_options(&options, wrapped.data(), wrapped.size());
  gumbo_destroy_output(&options, out);
}

// Peak RSS (MB) of a child that converts the whole corpus once.
double ChildPeakRss(const std::vector<std::string>& corpus) {
  const pid_t pid = fork();
  if (pid == 0) {
    for (const auto& s : corpus) (void)HtmlToMarkdown(s);
    _exit(0);
  }
  int status;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  return ru.ru_maxrss / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path data = argc > 1 ? argv[1] : "tests/data";
  const double seconds = argc > 2 ? std::atof(argv[2]) : 3.0;
  const std::vector<std::string> corpus = LoadAnswers(data);
  size_t bytes = 0;
  for (const auto& s : corpus) bytes += s.size();
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  const double baseline = ru.ru_maxrss / 1024.0;

  const double ours = Throughput(corpus, seconds, [](const std::string& s) {
    (void)HtmlToMarkdown(s);
  });
  const double gumbo = Throughput(corpus, seconds, GumboParse);
  const double rss = ChildPeakRss(corpus);
  size_t fast = 0, fast_bytes = 0;
  for (const auto& s : corpus) {
    archivist::normalize::Dom dom;
    if (archivist::normalize::FastParse(archivist::normalize::SanitizeUtf8(s), &dom)) {
      ++fast;
      fast_bytes += s.size();
    }
  }
  std::printf("corpus: %zu answers, %.2f MB of HTML\n", corpus.size(), bytes / 1e6);
  std::printf("archivist convert (zhihu profile): %7.2f MB/s\n", ours);
  std::printf("gumbo bare parse (max_errors=0):   %7.2f MB/s\n", gumbo);
  std::printf("ratio archivist / gumbo:           %7.2f\n", ours / gumbo);
  std::printf("fast-path parse (no gumbo):        %zu of %zu answers (%.1f%%), %.1f%% of bytes\n",
              fast, corpus.size(), 100.0 * fast / corpus.size(), 100.0 * fast_bytes / bytes);
  std::printf("peak RSS converting the corpus:    %7.1f MB (process after loading: %.1f MB)\n",
              rss, baseline);
  return 0;
}
