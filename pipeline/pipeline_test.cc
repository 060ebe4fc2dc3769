// The refresh pipeline on a scripted FakeSource and a real SqliteStore in a temp dir: every
// outcome, probes, the export file (written on change, untouched otherwise, a failed write
// reported without undoing the commit), store failures, and a concurrent writer.
#include "pipeline/pipeline.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <fstream>

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
TEST_F(PipelineTest, ConcurrentWriterIsRetriedAgainstTheNewState) {
  ASSERT_TRUE(Run(Snap({A(1, "一")})).changed);
  const std::string path = dir_ + "/archive.db";
  source_.during_fetch = [&] {
    auto other = store::SqliteStore::Open(path);
    ASSERT_TRUE(other.ok());
    FakeSource other_source;
    other_source.script.push_back(Snap({A(1, "一"), A(2, "二")}));
    Pipeline p(other_source, **other, clock_, nullptr, {});
    ASSERT_TRUE(p.Refresh(kKey).committed);
  };
  const RefreshSummary s = Run(Snap({A(1, "一"), A(2, "二"), A(3, "三")}));
  ASSERT_TRUE(s.committed) << s.error.ToString();
  EXPECT_EQ(s.ChangeText(), "+1 ~0 -0");  // 2 was added by the other writer
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

TEST(ExportPathTest, OneFilePerQuestionInTheDirectory) {
  EXPECT_EQ(ExportPath("/x/", {"zhihu", 7}), "/x/7.md");
  EXPECT_EQ(ExportPath("/x", {"zhihu", 7}), "/x/7.md");
}

}  // namespace
}  // namespace archivist::pipeline
