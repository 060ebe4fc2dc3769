// scale_bench: `history` and `changes` latency on a large archive, on either backend.
//
//   scale_bench <archive location> <threads> <answers per thread> <rounds> [queries=200]
//
// Builds the archive in the location (a SQLite path or a postgresql:// URI; it must be empty)
// through diff::Classify and CommitRefresh, exactly as the pipeline commits: round 0 stores
// every answer of every thread, each later round refreshes every thread once with every
// answer edited (about 1 KB of HTML each), so the archive ends with threads × answers ×
// rounds revisions and as many events (threads ≤ 3,600: one synthetic hour per round). Then it times, over `queries` random threads:
//   history — Store::Events of one thread (what `archivist history` reads);
//   changes — Store::Changes since a time that selects the newest ~1,000 events (`archivist changes`),
//             and Store::LatestChanges(500) (the viewer's feed);
// and prints p50 and p99 of each in milliseconds, with the build rate. Not a test: it prints
// numbers (bench/scale_bench.py runs it on both backends in one run).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "base/clock.h"
#include "diff/classify.h"
#include "store/open.h"

using namespace archivist;

namespace {

struct Shape {
  int threads = 0;
  int answers = 0;
  int rounds = 0;
};

constexpr int64_t kStart = 1'768'636'800;  // 2026-01-17, seconds
constexpr int64_t kRoundSeconds = 3600;    // one refresh of every thread per synthetic hour

model::Snapshot SnapshotOf(const Shape& shape, int thread, int round) {
  model::Snapshot s;
  s.question.id = 100'000'000 + static_cast<uint64_t>(thread);
  s.question.title = "synthetic question " + std::to_string(thread);
  s.outcome = model::Outcome::kComplete;
  for (int a = 0; a < shape.answers; ++a) {
    model::Answer ans;
    ans.id = s.question.id * 1000 + static_cast<uint64_t>(a);
    ans.author.name = "author " + std::to_string(a);
    ans.created_time = kStart;
    ans.updated_time = kStart + round * kRoundSeconds;
    ans.content_html = "<p>answer " + std::to_string(ans.id) + ", version " +
                       std::to_string(round) + "</p><p>" + std::string(1000, 'x') + "</p>";
    s.answers.push_back(std::move(ans));
  }
  return s;
}

Status Refresh(store::Store& db, const Shape& shape, int thread, int round) {
  const model::Snapshot snap = SnapshotOf(shape, thread, round);
  const store::ThreadKey key{"zhihu", snap.question.id};
  Result<model::ThreadState> state = db.LoadState(key);
  if (!state.ok()) return state.status();
  model::ChangeSet cs = diff::Classify(*state, snap, {});
  for (auto& r : cs.revisions) {
    r.markdown = "answer " + std::to_string(r.answer_id) + ", version " + std::to_string(round);
    r.normalizer_version = 1;
  }
  const Timestamp at = Timestamp::FromSeconds(kStart + round * kRoundSeconds + thread);
  store::RefreshRecord rec;
  rec.thread = key;
  rec.observed_at = at;
  rec.fetch.started_at = at;
  rec.fetch.outcome = model::Outcome::kComplete;
  rec.fetch.answer_count = shape.answers;
  rec.changes = std::move(cs);
  return db.CommitRefresh(rec);
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

void PrintLatency(const char* what, const std::vector<double>& ms) {
  std::printf("%-34s p50 %8.2f ms   p99 %8.2f ms\n", what, Percentile(ms, 0.50),
              Percentile(ms, 0.99));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5 || std::atoi(argv[2]) > kRoundSeconds) {
    std::fprintf(stderr, "usage: scale_bench <location> <threads> <answers> <rounds> [queries]\n");
    return 2;
  }
  const std::string location = argv[1];
  const Shape shape{std::atoi(argv[2]), std::atoi(argv[3]), std::atoi(argv[4])};
  const int queries = argc > 5 ? std::atoi(argv[5]) : 200;
  Result<std::unique_ptr<store::Store>> db = store::OpenStore(location);
  if (!db.ok()) return std::fprintf(stderr, "%s\n", db.status().ToString().c_str()), 1;
  store::Store& archive = **db;
  RealClock clock;
  auto ms_since = [&](Clock::SteadyTime s) {
    return std::chrono::duration<double, std::milli>(clock.SteadyNow() - s).count();
  };

  const auto build = clock.SteadyNow();
  for (int t = 0; t < shape.threads; ++t) {
    const store::ThreadKey key{"zhihu", 100'000'000 + static_cast<uint64_t>(t)};
    if (Result<bool> added = archive.AddThread(key, Timestamp::FromSeconds(kStart)); !added.ok()) {
      return std::fprintf(stderr, "%s\n", added.status().ToString().c_str()), 1;
    }
  }
  for (int round = 0; round < shape.rounds; ++round) {
    for (int t = 0; t < shape.threads; ++t) {
      if (Status st = Refresh(archive, shape, t, round); !st.ok()) {
        return std::fprintf(stderr, "round %d thread %d: %s\n", round, t, st.ToString().c_str()), 1;
      }
    }
    std::fprintf(stderr, "\rround %d/%d", round + 1, shape.rounds);
  }
  std::fprintf(stderr, "\n");
  const double build_s = ms_since(build) / 1000;
  const long long revisions = 1LL * shape.threads * shape.answers * shape.rounds;
  std::printf("%s: %lld revisions in %lld refreshes, built in %.0f s (%.0f refreshes/s)\n",
              store::RedactLocation(location).c_str(), revisions,
              1LL * shape.threads * shape.rounds, build_s,
              shape.threads * shape.rounds / build_s);

  std::mt19937 rng(7);
  std::uniform_int_distribution<int> pick(0, shape.threads - 1);
  // The last round's events are one second apart per thread: `since` selects the last
  // ~1,000 of them (the newest threads of the last round).
  const int64_t newest_threads = std::min<int64_t>(shape.threads, (1000 + shape.answers - 1) / shape.answers);
  const Timestamp since = Timestamp::FromSeconds(kStart + (shape.rounds - 1) * kRoundSeconds +
                                                 shape.threads - newest_threads);
  std::vector<double> history, changes, latest;
  size_t history_events = 0, changes_events = 0;
  for (int q = 0; q < queries; ++q) {
    const store::ThreadKey key{"zhihu", 100'000'000 + static_cast<uint64_t>(pick(rng))};
    auto s = clock.SteadyNow();
    Result<std::vector<store::EventRecord>> ev = archive.Events({key, std::nullopt, std::nullopt});
    history.push_back(ms_since(s));
    if (!ev.ok()) return std::fprintf(stderr, "%s\n", ev.status().ToString().c_str()), 1;
    history_events = ev->size();
    s = clock.SteadyNow();
    Result<std::vector<store::ChangeRecord>> ch = archive.Changes(since);
    changes.push_back(ms_since(s));
    if (!ch.ok()) return std::fprintf(stderr, "%s\n", ch.status().ToString().c_str()), 1;
    changes_events = std::max(changes_events, ch->size());
    s = clock.SteadyNow();
    Result<std::vector<store::ChangeRecord>> newest = archive.LatestChanges(500);
    latest.push_back(ms_since(s));
    if (!newest.ok()) return std::fprintf(stderr, "%s\n", newest.status().ToString().c_str()), 1;
  }
  std::printf("history: %zu events per thread; changes: %zu events per query\n",
              history_events, changes_events);
  PrintLatency("history (Events of one thread)", history);
  PrintLatency("changes --since (Changes)", changes);
  PrintLatency("feed (LatestChanges 500)", latest);
  return 0;
}
