// The refresh pipeline on a scripted FakeSource and a real SqliteStore in a temp dir: every
// outcome, probes, the export file (written on change, untouched otherwise, a failed write
// reported without undoing the commit), store failures, and a concurrent writer.
#include "pipeline/pipeline.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "base/fake_clock.h"
#include "store/sqlite_store.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir.h"

namespace archivist::pipeline {
namespace {

namespace fs = std::filesystem;
using test_support::ReadFile;
using model::Outcome;
using model::ProbeResult;

constexpr model::QuestionId kQ = 42;
const store::ThreadKey kKey{"zhihu", kQ};

// Scripted snapshots, one per Fetch; probe answers from a map (kUnknown otherwise).
class FakeSource final : public Source {
 public:
  std::deque<model::Snapshot> script;
  std::map<model::AnswerId, ProbeResult> probe_answers;
  std::vector<model::AnswerId> probed;
  std::function<void()> during_fetch;  // runs inside Fetch (to race another writer)
  std::function<void()> during_probe;  // runs inside Probe

  model::Snapshot Fetch(model::QuestionId id) override {
    EXPECT_EQ(id, kQ);
    EXPECT_FALSE(script.empty());
    if (during_fetch) during_fetch();
    model::Snapshot s = script.front();
    script.pop_front();
    return s;
  }
  ProbeResult Probe(model::AnswerId id) override {
    probed.push_back(id);
    if (during_probe) during_probe();
    auto it = probe_answers.find(id);
    return it == probe_answers.end() ? ProbeResult::kUnknown : it->second;
  }
};

model::Answer A(model::AnswerId id, const std::string& text, int64_t updated = 100) {
  model::Answer a;
  a.id = id;
  a.author.name = "作者" + std::to_string(id);
  a.created_time = 50;
  a.updated_time = updated;
  a.content_html = "<p>" + text + "</p>";
  return a;
}

model::Snapshot Snap(std::vector<model::Answer> answers, Outcome outcome = Outcome::kComplete,
                     const std::string& title = "标题") {
  model::Snapshot s;
  s.question.id = kQ;
  s.question.title = title;
  s.answers = std::move(answers);
  s.outcome = outcome;
  s.pages = 1;
  if (outcome != Outcome::kComplete) s.error = {429, "", "scripted failure", 2};
  return s;
}

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    export_dir_ = dir_ + "/export";
    fs::create_directory(export_dir_);
    auto s = store::SqliteStore::Open(dir_ + "/archive.db");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->AddThread(kKey, clock_.WallNow()).ok());
    options_.export_dir = export_dir_;
  }
  void TearDown() override { store_.reset(); }

  RefreshSummary Run(model::Snapshot snap) {
    source_.script.push_back(std::move(snap));
    Pipeline pipeline(source_, *store_, clock_, tags_, options_);
    clock_.Advance(std::chrono::seconds(60));
    return pipeline.Refresh(kKey);
  }

  std::vector<std::string> Kinds() {
    auto events = store_->Events({kKey, std::nullopt, std::nullopt});
    EXPECT_TRUE(events.ok());
    std::vector<std::string> out;
    for (const auto& e : *events) {
      out.push_back(std::string(model::EventKindName(e.kind)) +
                    (e.answer ? " " + std::to_string(*e.answer) : ""));
    }
    return out;
  }

  std::string ExportFile() const { return export_dir_ + "/42.md"; }

  test_support::TempDir temp_{"pipeline_test"};
  const std::string dir_ = temp_.path();
  std::string export_dir_;
  FakeClock clock_;
  FakeSource source_;
  std::unique_ptr<store::SqliteStore> store_;
  int tag_calls_ = 0;
  TagFunction tags_ = [this](std::string_view text) -> Result<std::vector<std::string>> {
    ++tag_calls_;
    return std::vector<std::string>{"标题", std::to_string(text.size())};
  };
  PipelineOptions options_;
};

TEST_F(PipelineTest, FirstRefreshRecordsAndExports) {
  const RefreshSummary s = Run(Snap({A(1, "一"), A(2, "二")}));
  ASSERT_TRUE(s.error.ok()) << s.error.ToString();
  EXPECT_TRUE(s.committed);
  EXPECT_TRUE(s.changed);
  EXPECT_TRUE(s.thread_added);
  EXPECT_EQ(s.title, "标题");
  EXPECT_EQ(s.added, 2);
  EXPECT_EQ(s.answers_now, 2);
  EXPECT_EQ(s.outcome, Outcome::kComplete);
  EXPECT_EQ(s.ChangeText(), "+2 ~0 -0");
  ASSERT_TRUE(s.export_error.ok()) << s.export_error.ToString();
  EXPECT_EQ(s.export_path, ExportFile());
  // The export is exactly the document at the refresh time, with the tags of docs/format.md §4.
  auto doc = RenderThreadAt(*store_, kKey, s.observed_at, tags_);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(ReadFile(ExportFile()), *doc);
  const std::string text = "标题\n" + normalize::VisibleText("<p>一</p>") + "\n" +
                           normalize::VisibleText("<p>二</p>") + "\n";
  EXPECT_NE(doc->find("tags: [标题," + std::to_string(text.size()) + "]\n"), std::string::npos)
      << *doc;
  EXPECT_NE(doc->find("### 知乎用户 作者2 发表\n    \n二\n"), std::string::npos) << *doc;
  struct stat st;
  ASSERT_EQ(::stat(ExportFile().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  // Markdown of new revisions is derived by the pipeline.
  auto rev = store_->GetRevision({"zhihu", 1}, 1);
  ASSERT_TRUE(rev.ok());
  EXPECT_EQ(rev->markdown, "一");
  EXPECT_EQ(rev->normalizer_version, normalize::kNormalizerVersion);
  auto fetches = store_->FetchRecords(kKey);
  ASSERT_EQ(fetches->size(), 1u);
  EXPECT_EQ((*fetches)[0].answer_count, 2);
}

TEST_F(PipelineTest, UnchangedRefreshDoesNotTouchTheExport) {
  ASSERT_TRUE(Run(Snap({A(1, "一")})).changed);
  { std::ofstream(ExportFile()) << "sentinel"; }
  const int calls = tag_calls_;
  const RefreshSummary s = Run(Snap({A(1, "一")}));
  EXPECT_TRUE(s.committed);
  EXPECT_FALSE(s.changed);
  EXPECT_TRUE(s.export_path.empty());
  EXPECT_EQ(ReadFile(ExportFile()), "sentinel");
  EXPECT_EQ(tag_calls_, calls);
  EXPECT_EQ(store_->FetchRecords(kKey)->size(), 2u);
}

// The worst bug: a failed fetch recording deletions. Every non-complete outcome, with no
// answers at all (everything absent) and all probes saying gone: nothing deleted, no probe
// made, only the fetch record stored, the export untouched.
TEST_F(PipelineTest, NoFailedOutcomeDeletesOrTouchesTheExport) {
  ASSERT_TRUE(Run(Snap({A(1, "一"), A(2, "二")})).changed);
  { std::ofstream(ExportFile()) << "sentinel"; }
  source_.probe_answers = {{1, ProbeResult::kGone}, {2, ProbeResult::kGone}};
  size_t fetches = 1;
  for (Outcome o : {Outcome::kPartial, Outcome::kNotModified, Outcome::kBlocked,
                    Outcome::kAuthRequired, Outcome::kNotFound, Outcome::kRateLimited,
                    Outcome::kTransient, Outcome::kInvalidResponse, Outcome::kTooLarge}) {
    SCOPED_TRACE(model::OutcomeName(o));
    const RefreshSummary s = Run(Snap({}, o));
    EXPECT_TRUE(s.committed) << s.error.ToString();
    EXPECT_EQ(s.outcome, o);
    EXPECT_EQ(s.deleted, 0);
    EXPECT_EQ(s.answers_now, 2);
    EXPECT_FALSE(s.changed);
    EXPECT_EQ(store_->FetchRecords(kKey)->size(), ++fetches);
    if (o != Outcome::kNotFound) {  // two not_found in a row would be thread_gone
      EXPECT_EQ(Kinds().size(), 3u);
    }
    if (o == Outcome::kNotFound) (void)Run(Snap({A(1, "一"), A(2, "二")})), ++fetches;  // reset
  }
  EXPECT_TRUE(source_.probed.empty());
  EXPECT_EQ(ReadFile(ExportFile()), "sentinel");
  EXPECT_EQ(store_->GetThread(kKey)->present_answers, 2);
}

TEST_F(PipelineTest, ServerErrorTextIsBoundedInTheRecordAndTheSummary) {
  model::Snapshot snap = Snap({}, Outcome::kInvalidResponse);
  snap.error.code = std::string(1 << 20, 'c');
  snap.error.message = std::string(20 << 20, 'm');  // a 20 MiB bogus id echoed
  const RefreshSummary s = Run(std::move(snap));
  ASSERT_TRUE(s.committed) << s.error.ToString();
  EXPECT_LE(s.fetch_error.message.size(), 1024u);
  EXPECT_LE(s.fetch_error.code.size(), 64u);
  auto records = store_->FetchRecords(kKey);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_LE(records->front().error_message.size(), 1024u);
  EXPECT_EQ(records->front().error_message.substr(0, 3), "mmm");
  EXPECT_NE(records->front().error_message.find("(20971520 bytes)"), std::string::npos);
  EXPECT_LE(records->front().error_code.size(), 64u);
}

TEST_F(PipelineTest, FailedFetchKeepsTheWholeAnswersItHas) {
  ASSERT_TRUE(Run(Snap({A(1, "一"), A(2, "二")})).changed);
  const RefreshSummary s = Run(Snap({A(1, "一 v2", 200), A(3, "三")}, Outcome::kRateLimited));
  EXPECT_TRUE(s.committed);
  EXPECT_EQ(s.ChangeText(), "+1 ~1 -0");
  EXPECT_EQ(s.answers_now, 3);
  EXPECT_EQ(s.fetch_error.http_status, 429);
  EXPECT_TRUE(source_.probed.empty());
  EXPECT_NE(ReadFile(ExportFile()).find("一 v2"), std::string::npos);
}

TEST_F(PipelineTest, CompleteListingProbesAndDeletes) {
  ASSERT_TRUE(Run(Snap({A(1, "一"), A(2, "二"), A(3, "三")})).changed);
  source_.probe_answers = {{2, ProbeResult::kGone}, {3, ProbeResult::kExists}};
  RefreshSummary s = Run(Snap({A(1, "一")}));
  EXPECT_EQ(source_.probed, (std::vector<model::AnswerId>{2, 3}));
  EXPECT_EQ(s.deleted, 1);
  EXPECT_EQ(s.answers_now, 2);
  const std::string doc = ReadFile(ExportFile());
  EXPECT_EQ(doc.find("二"), std::string::npos);
  EXPECT_NE(doc.find("三"), std::string::npos);
  // It comes back: restored, with the title change.
  s = Run(Snap({A(1, "一"), A(2, "二"), A(3, "三")}, Outcome::kComplete, "新标题"));
  EXPECT_EQ(s.restored, 1);
  EXPECT_TRUE(s.title_changed);
  EXPECT_EQ(s.title, "新标题");
  EXPECT_EQ(s.ChangeText(), "+0 ~0 -0 restored 1 title changed");
  EXPECT_EQ(Kinds().back(), "answer_restored 2");
}

TEST_F(PipelineTest, ExportFailureIsReportedAndTheCommitStands) {
  options_.export_dir = dir_ + "/no/such/dir";
  const RefreshSummary s = Run(Snap({A(1, "一")}));
  EXPECT_TRUE(s.committed);
  EXPECT_TRUE(s.error.ok());
  EXPECT_EQ(s.export_error.code(), Status::Code::kIoError);
  EXPECT_NE(s.export_error.message().find(dir_ + "/no/such/dir/42.md"), std::string::npos)
      << s.export_error.message();
  EXPECT_EQ(Kinds(), (std::vector<std::string>{"thread_added", "answer_added 1"}));
  EXPECT_FALSE(fs::exists(dir_ + "/no"));
}

// What an export writes beside the document (the viewer's feeds) runs after the document,
// with the same write options; its failure is an export failure and the commit stands. A
// later export of the thread (here: its file was removed) runs it again.
TEST_F(PipelineTest, AFailureOfWhatGoesBesideTheDocumentIsAnExportFailure) {
  std::vector<store::ThreadKey> called;
  options_.export_more = [&](store::Store&, const store::ThreadKey& key,
                             const AtomicWriteOptions& write) {
    called.push_back(key);
    EXPECT_EQ(write.mode, options_.export_mode);
    return Status::IoError("feeds: disk full");
  };
  const RefreshSummary s = Run(Snap({A(1, "一")}));
  EXPECT_TRUE(s.committed);
  EXPECT_EQ(s.export_error.code(), Status::Code::kIoError);
  EXPECT_EQ(called.size(), 1u);
  EXPECT_TRUE(fs::exists(ExportFile()));  // the document itself was written first
  options_.export_more = [&](store::Store&, const store::ThreadKey& key, const AtomicWriteOptions&) {
    called.push_back(key);
    return Status::Ok();
  };
  fs::remove(ExportFile());
  EXPECT_TRUE(Run(Snap({A(1, "一")})).export_error.ok());
  EXPECT_EQ(called.size(), 2u);
  EXPECT_TRUE(fs::exists(ExportFile()));
}

TEST_F(PipelineTest, TagFailureIsAnExportFailure) {
  tags_ = [](std::string_view) -> Result<std::vector<std::string>> {
    return Status::InvalidArgument("bad text");
  };
  const RefreshSummary s = Run(Snap({A(1, "一")}));
  EXPECT_TRUE(s.committed);
  EXPECT_FALSE(s.export_error.ok());
  EXPECT_NE(s.export_error.message().find("bad text"), std::string::npos);
  EXPECT_FALSE(fs::exists(ExportFile()));
}

// A failed export is written by the thread's next refresh, even one that changes nothing;
// so is a removed file. A current file is left alone.
TEST_F(PipelineTest, AMissingOrStaleExportIsWrittenByTheNextRefresh) {
  TagFunction working = tags_;
  tags_ = [](std::string_view) -> Result<std::vector<std::string>> {
    return Status::Unavailable("tagger down");
  };
  ASSERT_FALSE(Run(Snap({A(1, "一")})).export_error.ok());
  ASSERT_FALSE(fs::exists(ExportFile()));
  tags_ = working;
  const RefreshSummary again = Run(Snap({A(1, "一")}));
  EXPECT_FALSE(again.changed);
  EXPECT_TRUE(again.export_error.ok()) << again.export_error.ToString();
  EXPECT_EQ(again.export_path, ExportFile());
  ASSERT_TRUE(fs::exists(ExportFile()));
  EXPECT_NE(ReadFile(ExportFile()).find("一"), std::string::npos);
  // The file's time against the latest event (fake times, not the real clock's).
  const Timestamp event = *store_->GetThread(kKey)->last_event;
  const auto set_mtime = [&](Timestamp t) {
    const timespec ts[2] = {{t.micros() / 1'000'000, 0}, {t.micros() / 1'000'000, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, ExportFile().c_str(), ts, 0), 0);
  };
  set_mtime(Timestamp::FromMicros(event.micros() + 3'600'000'000));
  EXPECT_TRUE(Run(Snap({A(1, "一")})).export_path.empty());  // current: not rewritten
  set_mtime(Timestamp::FromMicros(event.micros() - 1'000'000));
  EXPECT_EQ(Run(Snap({A(1, "一")})).export_path, ExportFile());  // older than the event
  fs::remove(ExportFile());
  EXPECT_EQ(Run(Snap({A(1, "一")})).export_path, ExportFile());
  EXPECT_EQ(Kinds(), (std::vector<std::string>{"thread_added", "answer_added 1"}));
}

TEST_F(PipelineTest, StoreFailureStoresNothingAndIsReported) {
  ASSERT_TRUE(Run(Snap({A(1, "一")})).changed);
  store_->SetFaultHook([](std::string_view op) {
    return op == "commit" ? Status::IoError("disk full (injected)") : Status::Ok();
  });
  const RefreshSummary s = Run(Snap({A(1, "一 v2", 300), A(2, "二")}));
  EXPECT_FALSE(s.committed);
  EXPECT_EQ(s.error.code(), Status::Code::kIoError) << s.error.ToString();
  EXPECT_TRUE(s.export_path.empty());
  store_->SetFaultHook(nullptr);
  EXPECT_EQ(Kinds().size(), 2u);
  EXPECT_EQ(store_->FetchRecords(kKey)->size(), 1u);
  EXPECT_EQ(ReadFile(ExportFile()).find("二"), std::string::npos);
}

// Another writer commits a refresh of the same thread while this one fetches: the commit is
// refused once (stale version), then classified again against the new state.
// Refresh A's fetch is slow: it began before refresh B (another process, its own connection)
// fetched newer content and committed. A's older snapshot must not be classified against
// B's state: that recorded A's stale text as a new edit (r3 stamped after r2), `show` then
// returned it, and the next refresh recorded a phantom edit back.
TEST_F(PipelineTest, ASlowRefreshOvertakenByAnotherIsDroppedNotRecordedAsAnEdit) {
  ASSERT_TRUE(Run(Snap({A(1, "旧"), A(2, "二")})).changed);
  std::mutex mu;
  std::condition_variable cv;
  bool fetching = false, released = false;
  source_.during_fetch = [&] {  // A holds the old content and answers only when released
    std::unique_lock lock(mu);
    fetching = true;
    cv.notify_all();
    cv.wait(lock, [&] { return released; });
  };
  source_.script.push_back(Snap({A(1, "旧"), A(2, "二")}));
  Pipeline slow(source_, *store_, clock_, tags_, options_);
  clock_.Advance(std::chrono::seconds(60));
  RefreshSummary a;
  std::thread thread_a([&] { a = slow.Refresh(kKey); });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return fetching; });
  }
  auto other = store::SqliteStore::Open(dir_ + "/archive.db");
  ASSERT_TRUE(other.ok());
  FakeSource newer;
  newer.script.push_back(Snap({A(1, "新", 200), A(2, "二")}));
  const RefreshSummary b = Pipeline(newer, **other, clock_, nullptr, {}).Refresh(kKey);
  ASSERT_TRUE(b.committed) << b.error.ToString();
  EXPECT_EQ(b.ChangeText(), "+0 ~1 -0");
  {
    std::lock_guard lock(mu);
    released = true;
  }
  cv.notify_all();
  thread_a.join();
  source_.during_fetch = nullptr;

  EXPECT_TRUE(a.superseded);
  EXPECT_FALSE(a.committed);
  EXPECT_TRUE(a.error.ok()) << a.error.ToString();
  EXPECT_EQ(a.ChangeText(), "+0 ~0 -0");
  EXPECT_EQ(a.answers_now, 2);
  EXPECT_TRUE(a.export_path.empty());
  EXPECT_EQ(Kinds(), (std::vector<std::string>{"thread_added", "answer_added 1",
                                               "answer_added 2", "answer_edited 1"}));
  auto revs = store_->Revisions({"zhihu", 1});
  ASSERT_TRUE(revs.ok());
  ASSERT_EQ(revs->size(), 2u);
  EXPECT_EQ(revs->back().markdown, "新");
  EXPECT_EQ(store_->FetchRecords(kKey)->size(), 2u);  // A's fetch is not recorded
  // The next refresh sees the current content: no phantom edit back.
  const RefreshSummary next = Run(Snap({A(1, "新", 200), A(2, "二")}));
  EXPECT_TRUE(next.committed);
  EXPECT_FALSE(next.changed);
  Result<std::string> shown = RenderThreadAt(*store_, kKey, clock_.WallNow(), nullptr);
  ASSERT_TRUE(shown.ok());
  EXPECT_NE(shown->find("新"), std::string::npos);
  EXPECT_EQ(shown->find("旧"), std::string::npos);
}

// The drop does not depend on which snapshot is newer: any commit after this fetch began
// wins. A snapshot that was in fact newer is recorded by the next refresh.
TEST_F(PipelineTest, AnyCommitAfterTheFetchBeganSupersedesIt) {
  ASSERT_TRUE(Run(Snap({A(1, "一")})).changed);
  source_.during_fetch = [&] {
    auto other = store::SqliteStore::Open(dir_ + "/archive.db");
    ASSERT_TRUE(other.ok());
    FakeSource other_source;
    other_source.script.push_back(Snap({A(1, "一"), A(2, "二")}));
    ASSERT_TRUE(Pipeline(other_source, **other, clock_, nullptr, {}).Refresh(kKey).committed);
  };
  const RefreshSummary s = Run(Snap({A(1, "一"), A(2, "二"), A(3, "三")}));
  EXPECT_TRUE(s.superseded);
  EXPECT_FALSE(s.committed);
  EXPECT_EQ(s.ChangeText(), "+0 ~0 -0");
  EXPECT_EQ(s.answers_now, 2);
  source_.during_fetch = nullptr;
  EXPECT_EQ(Run(Snap({A(1, "一"), A(2, "二"), A(3, "三")})).ChangeText(), "+1 ~0 -0");
  EXPECT_EQ(Kinds(), (std::vector<std::string>{"thread_added", "answer_added 1",
                                               "answer_added 2", "answer_added 3"}));
}

TEST_F(PipelineTest, ScheduleIsStoredWithTheRefresh) {
  options_.schedule = [](const RefreshSummary& s) -> std::optional<store::Schedule> {
    return store::Schedule{s.observed_at, s.changed ? 600 : 900};
  };
  const RefreshSummary s = Run(Snap({A(1, "一")}));
  auto t = store_->GetThread(kKey);
  ASSERT_TRUE(t.ok() && t->schedule);
  EXPECT_EQ(t->schedule->interval_seconds, 600);
  EXPECT_EQ(t->schedule->next_due, s.observed_at);
}

// The summary's fetch_duration (the daemon's fetch_duration_seconds and its log's fetch=…ms)
// and the stored fetch record time the fetch alone, not the probes, commit and export.
TEST_F(PipelineTest, FetchDurationIsTheFetchAlone) {
  Run(Snap({A(1, "一"), A(2, "二")}));
  source_.during_fetch = [this] { clock_.Advance(std::chrono::milliseconds(700)); };
  source_.during_probe = [this] { clock_.Advance(std::chrono::seconds(5)); };
  const RefreshSummary s = Run(Snap({A(1, "一")}));
  ASSERT_EQ(source_.probed, std::vector<model::AnswerId>{2});
  EXPECT_EQ(s.fetch_duration, std::chrono::milliseconds(700));
  auto fetches = store_->FetchRecords(kKey);
  ASSERT_TRUE(fetches.ok()) << fetches.status().ToString();
  ASSERT_EQ(fetches->size(), 2u);
  EXPECT_EQ(fetches->back().duration_ms, 700);
}

// The daemon stops while a refresh is in flight, during the fetch or during a deletion
// probe: nothing is stored, not even the fetch record, nothing is deleted (answer 2 is
// missing from the listing and its probe says gone), the export is not touched.
TEST_F(PipelineTest, ACancelledRefreshStoresNothing) {
  ASSERT_TRUE(Run(Snap({A(1, "一"), A(2, "二")})).committed);
  const std::string exported = ReadFile(ExportFile());
  for (const char* when : {"fetch", "probe"}) {
    CancelToken cancel;
    options_.cancel = &cancel;
    source_.during_fetch = [&] {
      if (std::string(when) == "fetch") cancel.Cancel();
    };
    source_.during_probe = [&] { cancel.Cancel(); };
    source_.probe_answers[2] = ProbeResult::kGone;
    options_.classify.delete_confirmations = 1;
    const RefreshSummary s = Run(Snap({A(1, "一 edited", 200)}));
    EXPECT_TRUE(s.cancelled) << when;
    EXPECT_FALSE(s.committed || s.changed) << when;
    EXPECT_EQ(s.error.code(), Status::Code::kUnavailable) << when;
    EXPECT_NE(s.error.message().find("nothing of it was stored"), std::string::npos)
        << s.error.ToString();
    EXPECT_EQ(store_->FetchRecords(kKey)->size(), 1u) << when;
    EXPECT_EQ(Kinds(), (std::vector<std::string>{"thread_added", "answer_added 1",
                                                 "answer_added 2"})) << when;
    EXPECT_EQ(ReadFile(ExportFile()), exported) << when;
  }
  // Not cancelled, the same refresh records the edit and the deletion.
  options_.cancel = nullptr;
  const RefreshSummary s = Run(Snap({A(1, "一 edited", 200)}));
  EXPECT_TRUE(s.committed);
  EXPECT_EQ(s.ChangeText(), "+0 ~1 -1");
}

// An answer that shows more images than any real one is linked to its first
// kMaxImagesPerRevision, in the order it shows them; the refresh is otherwise as any other.
TEST_F(PipelineTest, ARevisionLinksAtMostTheMaximumOfImages) {
  options_.media_links = [](std::string_view url) { return url.find("zhimg") != url.npos; };
  model::Answer a = A(1, "many");
  a.content_html = "<p>many</p>";
  for (size_t i = 0; i < kMaxImagesPerRevision + 500; ++i) {
    a.content_html += "<img src=\"https://pic1.zhimg.com/v2-" + std::to_string(i) + ".jpg\">";
  }
  const RefreshSummary s = Run(Snap({a}));
  ASSERT_TRUE(s.committed);
  EXPECT_EQ(Kinds(), (std::vector<std::string>{"thread_added", "answer_added 1"}));
  auto refs = store_->MediaRefs(kKey);
  ASSERT_TRUE(refs.ok()) << refs.status().ToString();
  ASSERT_EQ(refs->size(), kMaxImagesPerRevision);
  EXPECT_EQ(refs->front().url, "https://pic1.zhimg.com/v2-0.jpg");
  EXPECT_EQ(refs->back().url,
            "https://pic1.zhimg.com/v2-" + std::to_string(kMaxImagesPerRevision - 1) + ".jpg");
}

// Media on: a new revision's images (only those media_links accepts) are linked with it, and
// the media step runs after the commit; its failure is reported in the summary only — the
// outcome, the events and the commit stand. A later refresh, even a failed fetch (its record
// is committed), retries what is still pending; a refresh stored by nobody runs no step.
TEST_F(PipelineTest, MediaLinksAreCommittedAndTheStepRunsAfterwards) {
  std::vector<std::string> step_saw;
  options_.media_links = [](std::string_view url) { return url.find("zhimg") != url.npos; };
  options_.media_step = [&](store::Store& s, const store::ThreadKey& key) {
    auto due = s.DueMedia(key, clock_.WallNow(), 10);
    EXPECT_TRUE(due.ok());
    for (const store::MediaTask& t : *due) step_saw.push_back(t.url);
    MediaSummary m;
    m.error = Status::IoError("injected media failure");
    return m;
  };
  model::Answer a = A(1, "一");
  a.content_html = "<p>一</p><img data-original=\"https://pic1.zhimg.com/a_r.jpg\" "
                   "src=\"https://pic1.zhimg.com/a.jpg\"><img src=\"https://other.test/b.png\">";
  const RefreshSummary s = Run(Snap({a}));
  EXPECT_TRUE(s.committed);
  EXPECT_TRUE(s.error.ok());
  EXPECT_EQ(s.outcome, Outcome::kComplete);
  EXPECT_TRUE(s.media.ran);
  EXPECT_EQ(s.media.error.code(), Status::Code::kIoError);
  EXPECT_EQ(step_saw, std::vector<std::string>{"https://pic1.zhimg.com/a_r.jpg"});
  EXPECT_EQ(Kinds(), (std::vector<std::string>{"thread_added", "answer_added 1"}));
  auto refs = store_->MediaRefs(kKey);
  ASSERT_TRUE(refs.ok());
  ASSERT_EQ(refs->size(), 1u);
  EXPECT_EQ((*refs)[0].status, store::MediaStatus::kPending);

  step_saw.clear();
  const RefreshSummary failed = Run(Snap({}, Outcome::kRateLimited));
  EXPECT_TRUE(failed.media.ran);
  EXPECT_EQ(step_saw, std::vector<std::string>{"https://pic1.zhimg.com/a_r.jpg"});

  step_saw.clear();
  CancelToken cancel;
  cancel.Cancel();
  options_.cancel = &cancel;
  const RefreshSummary cancelled = Run(Snap({A(1, "一")}));
  EXPECT_FALSE(cancelled.committed);
  EXPECT_FALSE(cancelled.media.ran);
  EXPECT_TRUE(step_saw.empty());
}

TEST(ExportPathTest, OneFilePerQuestionInTheDirectory) {
  EXPECT_EQ(ExportPath("/x/", {"zhihu", 7}), "/x/7.md");
  EXPECT_EQ(ExportPath("/x", {"zhihu", 7}), "/x/7.md");
}

}  // namespace
}  // namespace archivist::pipeline
