// store_crash_child: commits refreshes to an archive forever, until killed. Used by
// crash_test.cc, which SIGKILLs it at random points.
//
//   store_crash_child <db path> <seed>
//
// Each refresh of thread (seed % 3 + 1) adds 1–6 answers and edits up to 3 old ones; its
// fetch record carries answer_count = number of events (= number of revisions) and
// error_message = "refresh <seed>.<n>"; the child prints "begin <that>" before the commit
// and "<that>" after the commit returned OK. The test checks every printed refresh is in the archive, whole.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "store/sqlite_store.h"

using namespace archivist;

namespace {

std::string Html(std::mt19937& rng) {
  std::string s = "<p>";
  const size_t n = 100 + rng() % 800;
  for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + rng() % 26));
  return s + "</p>";
}

int Fail(const Status& st) {
  std::fprintf(stderr, "store_crash_child: %s\n", st.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: store_crash_child <db> <seed>\n");
    return 2;
  }
  const unsigned seed = static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10));
  std::mt19937 rng(seed);
  auto opened = store::SqliteStore::Open(argv[1]);
  if (!opened.ok()) return Fail(opened.status());
  store::SqliteStore& db = **opened;
  const store::ThreadKey key{"zhihu", seed % 3 + 1};
  if (auto added = db.AddThread(key, Timestamp::FromSeconds(1)); !added.ok()) {
    return Fail(added.status());
  }
  for (int n = 0;; ++n) {
    Result<model::ThreadState> state = db.LoadState(key);
    if (!state.ok()) return Fail(state.status());
    model::ChangeSet cs;
    cs.base_version = state->version;
    if (!state->archived) {
      cs.thread.first_archive = true;
      cs.thread.title = "thread " + std::to_string(key.id);
    }
    const int adds = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < adds; ++i) {
      model::NewRevision r;
      r.answer_id = key.id * 1'000'000'000ULL + state->answers.size() + i + 1;
      r.number = 1;
      r.html = Html(rng);
      r.content_hash = std::to_string(rng());
      r.markdown = r.html.substr(3);
      r.normalizer_version = 1;
      cs.answers.push_back({r.answer_id, true, model::AnswerState::kPresent, "a", 0, true});
      cs.events.push_back({model::EventKind::kAnswerAdded, r.answer_id, 1, ""});
      cs.revisions.push_back(std::move(r));
    }
    const int edits = state->answers.empty() ? 0 : static_cast<int>(rng() % 4);
    for (int i = 0; i < edits; ++i) {
      const model::StoredAnswer& old = state->answers[i];
      model::NewRevision r;
      r.answer_id = old.id;
      r.number = old.latest_revision + 1;
      r.html = Html(rng);
      r.content_hash = std::to_string(rng());
      r.markdown = r.html;
      r.normalizer_version = 1;
      cs.answers.push_back({old.id, false, model::AnswerState::kPresent, "a", 0, true});
      cs.events.push_back({model::EventKind::kAnswerEdited, old.id, r.number, ""});
      cs.revisions.push_back(std::move(r));
    }
    store::RefreshRecord rec;
    rec.thread = key;
    rec.observed_at = Timestamp::FromSeconds(1000 + n);
    rec.fetch.started_at = rec.observed_at;
    rec.fetch.outcome = model::Outcome::kComplete;
    rec.fetch.answer_count = static_cast<int>(cs.events.size());
    const std::string tag = "refresh " + std::to_string(seed) + "." + std::to_string(n);
    rec.fetch.error_message = tag;
    rec.changes = std::move(cs);
    std::printf("begin %s\n", tag.c_str());
    std::fflush(stdout);
    if (Status st = db.CommitRefresh(rec); !st.ok()) {
      if (st.code() == Status::Code::kUnavailable) continue;  // busy: try again
      return Fail(st);
    }
    std::printf("%s\n", tag.c_str());
    std::fflush(stdout);
  }
}
