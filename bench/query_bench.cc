// query_bench: in-process latency of `history` (Store::Events) and `show --at`
// (pipeline::RenderThreadAt: ThreadAtTime + each answer's raw HTML + keyword tags + rendering)
// on an existing archive, for its thread with the most events.
//
//   query_bench <archive.db> [repetitions=20]
//
// Build the archive with store_bench (every fixture question refreshed N times with random
// edits); bench/pipeline_bench.py runs both and the end-to-end numbers. Prints numbers only.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "base/clock.h"
#include "pipeline/document.h"
#include "store/sqlite_store.h"
#include "tags/jieba.h"

using namespace archivist;

namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return std::fprintf(stderr, "usage: query_bench <archive.db> [reps]\n"), 2;
  const int reps = argc > 2 ? std::atoi(argv[2]) : 20;
  store::SqliteOptions options;
  options.read_only = true;
  auto db = store::SqliteStore::Open(argv[1], options);
  if (!db.ok()) return std::fprintf(stderr, "%s\n", db.status().ToString().c_str()), 1;
  auto threads = (*db)->ListThreads();
  if (!threads.ok() || threads->empty()) return std::fprintf(stderr, "no threads\n"), 1;
  // The thread with the most events.
  store::ThreadKey key;
  size_t most = 0;
  Timestamp first, last;
  for (const auto& t : *threads) {
    auto ev = (*db)->Events({t.key, std::nullopt, std::nullopt});
    if (ev.ok() && ev->size() > most) {
      most = ev->size(), key = t.key;
      first = ev->front().at, last = ev->back().at;
    }
  }
  auto jieba = tags::Jieba::Load({});
  if (!jieba.ok()) return std::fprintf(stderr, "%s\n", jieba.status().ToString().c_str()), 1;
  const pipeline::TagFunction tags = [&](std::string_view text) { return (*jieba)->ExtractTags(text, 5); };
  RealClock clock;
  auto ms = [&](Clock::SteadyTime s) {
    return std::chrono::duration<double, std::milli>(clock.SteadyNow() - s).count();
  };
  std::vector<double> history, show, show_now;
  size_t bytes = 0, answers_now = 0;
  for (int i = 0; i < reps; ++i) {
    auto s = clock.SteadyNow();
    auto ev = (*db)->Events({key, std::nullopt, std::nullopt});
    history.push_back(ms(s));
    const Timestamp at = Timestamp::FromMicros(first.micros() + (last.micros() - first.micros()) * i / reps);
    s = clock.SteadyNow();
    auto doc = pipeline::RenderThreadAt(**db, key, at, tags);
    show.push_back(ms(s));
    if (!doc.ok()) return std::fprintf(stderr, "%s\n", doc.status().ToString().c_str()), 1;
    s = clock.SteadyNow();
    auto now = pipeline::RenderThreadAt(**db, key, last, tags);
    show_now.push_back(ms(s));
    bytes = now->size();
    answers_now = (*db)->ThreadAtTime(key, last)->answers.size();
  }
  std::printf("thread %llu: %zu events, %zu answers now, document %zu bytes\n",
              static_cast<unsigned long long>(key.id), most, answers_now, bytes);
  std::printf("history (all events): median %.2f ms\n", Median(history));
  std::printf("show --at (spread over the history, with tags): median %.2f ms\n", Median(show));
  std::printf("show (latest, with tags): median %.2f ms\n", Median(show_now));
  return 0;
}
