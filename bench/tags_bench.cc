// tags_bench: load time of the jieba data (from the source files, writing the cache, and from
// the cache) and the throughput of segmentation and keyword extraction on the fixture texts.
// Compare with bench/tags_bench_jieba.py (python3-jieba on the same input).
//
// Usage: tags_bench [SOURCE_DIR [JIEBA_DIR]]
//   SOURCE_DIR: the archivist source tree (for tests/data/*/questions/*/expected/text.txt)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tags/jieba.h"
#include "tests/support/temp_dir.h"

namespace {

using archivist::tags::Jieba;
using archivist::tags::JiebaLoadReport;
using archivist::tags::JiebaOptions;
namespace fs = std::filesystem;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::vector<std::string> FixtureTexts(const std::string& source_dir) {
  std::vector<fs::path> files;
  for (const char* root : {"/tests/data/zhihu/questions", "/tests/data/seed/questions"}) {
    for (const auto& e : fs::directory_iterator(source_dir + root)) {
      if (fs::exists(e.path() / "expected/text.txt")) files.push_back(e.path() / "expected/text.txt");
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> texts;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    texts.push_back(s.str());
  }
  return texts;
}

// Loads `runs` times; returns the median seconds. Aborts on error.
double TimeLoad(const JiebaOptions& options, int runs, JiebaLoadReport* report) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto j = Jieba::Load(options, report);
    t.push_back(Seconds(start));
    if (!j.ok()) {
      std::fprintf(stderr, "%s\n", j.status().ToString().c_str());
      std::exit(1);
    }
  }
  return Median(t);
}

// Runs `fn` over all of `texts` repeatedly for at least min_seconds; returns MB/s.
template <typename Fn>
double Throughput(const std::vector<std::string>& texts, double min_seconds, Fn fn) {
  size_t bytes = 0;
  for (const auto& t : texts) bytes += t.size();
  size_t rounds = 0;
  const auto start = std::chrono::steady_clock::now();
  do {
    for (const auto& t : texts) fn(t);
    ++rounds;
  } while (Seconds(start) < min_seconds);
  return static_cast<double>(bytes * rounds) / 1e6 / Seconds(start);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string source_dir = argc > 1 ? argv[1] : ARCHIVIST_SOURCE_DIR;
  JiebaOptions options;
  if (argc > 2) options.data_dir = argv[2];

  JiebaLoadReport report;
  options.use_cache = false;
  const double from_sources = TimeLoad(options, 3, &report);

  const archivist::test_support::TempDir cache_dir("archivist-tags-bench");
  options.use_cache = true;
  options.cache_dir = cache_dir.path();
  const double writing_cache = TimeLoad(options, 1, &report);
  if (!report.cache_written) std::fprintf(stderr, "cache not written: %s\n", report.cache_note.c_str());
  const double from_cache = TimeLoad(options, 5, &report);
  if (!report.from_cache) std::fprintf(stderr, "cache not used: %s\n", report.cache_note.c_str());
  const auto cache_size = fs::file_size(report.cache_path);

  auto jieba = Jieba::Load(options);
  const std::vector<std::string> docs = FixtureTexts(source_dir);
  std::string all;
  for (const auto& d : docs) all += d;
  const std::vector<std::string> concatenated = {all};

  std::printf("data load, from the source files (no cache): %7.1f ms (median of 3)\n",
              from_sources * 1e3);
  std::printf("data load, from sources + writing the cache:  %7.1f ms\n", writing_cache * 1e3);
  std::printf("data load, from the cache:                    %7.1f ms (median of 5; %.1f MB)\n",
              from_cache * 1e3, cache_size / 1e6);
  std::printf("input: %zu fixture texts, %.2f MB\n", docs.size(), all.size() / 1e6);
  size_t sink = 0;
  std::printf("tags, concatenated text:  %6.2f MB/s\n",
              Throughput(concatenated, 2.0, [&](const std::string& t) {
                sink += (*jieba)->ExtractTags(t, 5)->size();
              }));
  std::printf("tags, per document:       %6.2f MB/s\n",
              Throughput(docs, 2.0, [&](const std::string& t) {
                sink += (*jieba)->ExtractTags(t, 5)->size();
              }));
  std::printf("cut, concatenated text:   %6.2f MB/s\n",
              Throughput(concatenated, 2.0, [&](const std::string& t) {
                sink += (*jieba)->Cut(t)->size();
              }));
  return sink == 0 ? 1 : 0;
}
