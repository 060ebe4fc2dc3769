// store_bench: database size per 1,000 revisions of the fixture answers, and history/show
// latency on a store holding every fixture question refreshed many times with random edits.
//
//   store_bench <tests/data/zhihu/questions> <scratch.db> [rounds=100]
//
// Round 0 stores every fixture answer once (raw HTML as served, the expected Markdown as its
// Markdown), through diff::Classify and CommitRefresh exactly as the pipeline does. Each
// further round refreshes every question once, editing one random answer (a paragraph
// appended to its HTML and Markdown, updated_time moved). Sizes are of the main file after
// the store is closed (the WAL checkpointed away). Not a test: it prints numbers.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "base/clock.h"
#include "diff/classify.h"
#include "store/sqlite_store.h"

namespace fs = std::filesystem;
using namespace archivist;

namespace {

struct Fixture {
  model::Snapshot snapshot;
  std::vector<std::string> markdown;  // per answer
};

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

uint64_t Id(const nlohmann::json& v) {
  return v.is_string() ? std::stoull(v.get<std::string>()) : v.get<uint64_t>();
}

std::vector<Fixture> Load(const fs::path& dir) {
  std::vector<Fixture> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    Fixture f;
    const auto q = nlohmann::json::parse(Slurp(entry.path() / "question.json"));
    f.snapshot.question.id = Id(q["id"]);
    f.snapshot.question.title = q.value("title", "");
    f.snapshot.outcome = model::Outcome::kComplete;
    for (const auto& a : nlohmann::json::parse(Slurp(entry.path() / "answers.json"))) {
      model::Answer ans;
      ans.id = Id(a["id"]);
      ans.author.name = a["author"].value("name", "");
      ans.created_time = a.value("created_time", int64_t{0});
      ans.updated_time = a.value("updated_time", int64_t{0});
      ans.content_html = a.value("content", "");
      f.snapshot.answers.push_back(std::move(ans));
      f.markdown.push_back(
          Slurp(entry.path() / "expected" / (std::to_string(f.snapshot.answers.back().id) + ".md")));
    }
    out.push_back(std::move(f));
  }
  return out;
}

Status Refresh(store::Store& db, const Fixture& f, Timestamp at) {
  const store::ThreadKey key{"zhihu", f.snapshot.question.id};
  Result<model::ThreadState> state = db.LoadState(key);
  if (!state.ok()) return state.status();
  model::ChangeSet cs = diff::Classify(*state, f.snapshot, {});
  for (auto& r : cs.revisions) {
    for (size_t i = 0; i < f.snapshot.answers.size(); ++i) {
      if (f.snapshot.answers[i].id == r.answer_id) r.markdown = f.markdown[i];
    }
    r.normalizer_version = 1;
  }
  store::RefreshRecord rec;
  rec.thread = key;
  rec.observed_at = at;
  rec.fetch.started_at = at;
  rec.fetch.outcome = model::Outcome::kComplete;
  rec.fetch.answer_count = static_cast<int>(f.snapshot.answers.size());
  rec.changes = std::move(cs);
  return db.CommitRefresh(rec);
}

void Report(const char* what, const std::string& path, int64_t revisions) {
  const auto size = fs::file_size(path);
  std::printf("%s: %lld revisions, file %.2f MB, %.1f KB per 1,000 revisions\n", what,
              static_cast<long long>(revisions), size / 1e6,
              revisions ? size / 1e3 / (revisions / 1000.0) : 0.0);
}

double MillisSince(RealClock& clock, Clock::SteadyTime start) {
  return std::chrono::duration<double, std::milli>(clock.SteadyNow() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: store_bench <questions dir> <scratch.db> [rounds]\n");
    return 2;
  }
  const std::string path = argv[2];
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 100;
  fs::remove(path);
  std::vector<Fixture> fixtures = Load(argv[1]);
  size_t html = 0, md = 0, answers = 0;
  for (const auto& f : fixtures) {
    for (size_t i = 0; i < f.snapshot.answers.size(); ++i) {
      html += f.snapshot.answers[i].content_html.size();
      md += f.markdown[i].size();
      ++answers;
    }
  }
  std::printf("fixtures: %zu questions, %zu answers, raw HTML %.2f MB, Markdown %.2f MB\n",
              fixtures.size(), answers, html / 1e6, md / 1e6);
  RealClock clock;
  store::SqliteOptions options;
  options.synchronous_full = false;  // a benchmark of size and reads, not of fsync
  const int64_t t0 = 1'768'636'800;
  int64_t t = t0;
  {
    auto db = store::SqliteStore::Open(path, options);
    if (!db.ok()) return std::fprintf(stderr, "%s\n", db.status().ToString().c_str()), 1;
    for (const auto& f : fixtures) {
      (void)(*db)->AddThread({"zhihu", f.snapshot.question.id}, Timestamp::FromSeconds(t));
      if (Status st = Refresh(**db, f, Timestamp::FromSeconds(t)); !st.ok()) {
        return std::fprintf(stderr, "%s\n", st.ToString().c_str()), 1;
      }
    }
  }
  Report("round 0 (every fixture answer once)", path, static_cast<int64_t>(answers));
  std::mt19937 rng(1);
  int64_t revisions = static_cast<int64_t>(answers);
  const auto start = clock.SteadyNow();
  auto db = store::SqliteStore::Open(path, options);
  if (!db.ok()) return 1;
  for (int r = 1; r <= rounds; ++r) {
    t += 600;
    for (auto& f : fixtures) {
      if (!f.snapshot.answers.empty()) {
        const size_t i = rng() % f.snapshot.answers.size();
        f.snapshot.answers[i].content_html += "<p>edit " + std::to_string(r) + "</p>";
        f.snapshot.answers[i].updated_time += 60;
        f.markdown[i] += "\n\nedit " + std::to_string(r);
        ++revisions;
      }
      if (Status st = Refresh(**db, f, Timestamp::FromSeconds(t)); !st.ok()) {
        return std::fprintf(stderr, "%s\n", st.ToString().c_str()), 1;
      }
    }
  }
  const double commit_ms = MillisSince(clock, start);
  std::printf("%d rounds: %zu refreshes in %.1f s (%.0f refreshes/s, synchronous=NORMAL)\n",
              rounds, rounds * fixtures.size(), commit_ms / 1e3,
              rounds * fixtures.size() / (commit_ms / 1e3));
  // Latency on the question with the most answers.
  const Fixture* biggest = &fixtures[0];
  for (const auto& f : fixtures) {
    if (f.snapshot.answers.size() > biggest->snapshot.answers.size()) biggest = &f;
  }
  const store::ThreadKey key{"zhihu", biggest->snapshot.question.id};
  constexpr int kReps = 20;
  auto s1 = clock.SteadyNow();
  size_t events = 0;
  for (int i = 0; i < kReps; ++i) {
    auto history = (*db)->Events({key, std::nullopt, std::nullopt});
    if (!history.ok()) return std::fprintf(stderr, "%s\n", history.status().ToString().c_str()), 1;
    events = history->size();
  }
  const double history_ms = MillisSince(clock, s1) / kReps;
  auto s2 = clock.SteadyNow();
  size_t shown = 0;
  for (int i = 0; i < kReps; ++i) {
    const int64_t at = t0 + (t - t0) * i / kReps;  // spread over the whole history
    auto doc = (*db)->ThreadAtTime(key, Timestamp::FromSeconds(at));
    if (!doc.ok()) return std::fprintf(stderr, "%s\n", doc.status().ToString().c_str()), 1;
    shown = doc->answers.size();
  }
  const double show_ms = MillisSince(clock, s2) / kReps;
  std::printf("biggest thread %llu: %zu answers; history (%zu events) %.2f ms; "
              "show --at (%zu answers) %.2f ms\n",
              static_cast<unsigned long long>(key.id), biggest->snapshot.answers.size(), events,
              history_ms, shown, show_ms);
  db->reset();
  Report("after the edit rounds", path, revisions);
  return 0;
}
