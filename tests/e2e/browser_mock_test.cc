// The browser backend end to end: BrowserZhihuSource in the real headless Chromium (sandboxed,
// as nobody under root) against mock_zhihu --web, whose /feeds refuse unsigned requests. Its
// snapshots must equal the HTTP backend's of the same questions (read from a second mock with
// signatures off), and every fault must give its outcome.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>

#include "browser/test_support.h"
#include "browser/zhihu_browser_source.h"
#include "fetch/curl_http_client.h"
#include "fetch/sources/zhihu_json.h"
#include "fetch/sources/zhihu_source.h"
#include "tests/e2e/mock_process.h"

namespace archivist {
namespace {

using browser::BrowserSourceOptions;
using browser::BrowserZhihuSource;
using browser::testing::SharedBrowser;
using browser::testing::TempDir;
using browser::testing::TestClock;
using model::Outcome;

class BrowserMockTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    faults_ = dir_->path() + "/faults";
    std::ofstream(faults_).flush();
    const std::vector<std::string> roots = {e2e::TestData() + "/zhihu/questions", e2e::TestData() + "/seed/questions"};
    web_ = new e2e::MockProcess(roots, {"--web", "--faults", faults_});
    plain_ = new e2e::MockProcess(roots, {"--web", "--no-signatures"});
  }
  static void TearDownTestSuite() {
    delete web_;
    delete plain_;
    delete dir_;
  }
  void SetUp() override {
    ASSERT_TRUE(web_->ok()) << web_->error();
    ASSERT_TRUE(plain_->ok()) << plain_->error();
    SetFaults("");
  }

  // Replaces the web mock's faults (the file is re-read on every request).
  static void SetFaults(const std::string& lines) {
    const std::string tmp = faults_ + ".tmp";
    std::ofstream(tmp) << lines << "\n";
    std::filesystem::rename(tmp, faults_);
  }

  static BrowserSourceOptions Options() {
    BrowserSourceOptions o;
    o.base_url = web_->base_url();
    o.page_timeout = std::chrono::seconds(15);
    o.response_timeout = std::chrono::seconds(15);
    o.scroll_wait = std::chrono::seconds(2);
    o.overall_timeout = std::chrono::minutes(2);
    return o;
  }

  static std::unique_ptr<BrowserZhihuSource> Source(BrowserSourceOptions o = Options(),
                                                    fetch::Politeness* politeness = nullptr) {
    auto s = BrowserZhihuSource::Create(SharedBrowser(), TestClock(), std::move(o), politeness);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  static std::unique_ptr<fetch::CurlHttpClient> Http() {
    return std::move(fetch::CurlHttpClient::Create(fetch::CurlOptions{})).value();
  }

  static model::Snapshot HttpSnapshot(model::QuestionId id) {
    auto http = Http();
    fetch::ZhihuOptions o;
    o.base_url = plain_->base_url();
    fetch::ZhihuSource source(*http, TestClock(), o);
    return source.FetchQuestion(id);
  }

  // The web mock's request log.
  static fetch::zhihu::Json Requests() {
    fetch::HttpResponse r = Http()->Perform({web_->base_url() + "/_mock/requests", {}});
    auto j = fetch::zhihu::ParseJson(r.body);
    return j.ok() ? *j : fetch::zhihu::Json::array();
  }

  static TempDir* dir_;
  static std::string faults_;
  static e2e::MockProcess* web_;
  static e2e::MockProcess* plain_;
};

TempDir* BrowserMockTest::dir_ = nullptr;
std::string BrowserMockTest::faults_;
e2e::MockProcess* BrowserMockTest::web_ = nullptr;
e2e::MockProcess* BrowserMockTest::plain_ = nullptr;

void ExpectSameAuthor(const model::Author& a, const model::Author& b, const std::string& what) {
  EXPECT_EQ(a.name, b.name) << what;
  EXPECT_EQ(a.url_token, b.url_token) << what;
  EXPECT_EQ(a.id, b.id) << what;
  EXPECT_EQ(a.anonymous, b.anonymous) << what;
}

void ExpectSameSnapshot(const model::Snapshot& got, const model::Snapshot& want) {
  EXPECT_EQ(got.question.id, want.question.id);
  EXPECT_EQ(got.question.title, want.question.title);
  EXPECT_EQ(got.question.created_time, want.question.created_time);
  EXPECT_EQ(got.question.updated_time, want.question.updated_time);
  EXPECT_EQ(got.question.answer_count, want.question.answer_count);
  EXPECT_EQ(got.question.show_author, want.question.show_author);
  ExpectSameAuthor(got.question.author, want.question.author, "question author");
  ASSERT_EQ(got.answers.size(), want.answers.size());
  for (size_t i = 0; i < want.answers.size(); ++i) {
    const model::Answer& a = got.answers[i];
    const model::Answer& b = want.answers[i];
    const std::string what = "answer #" + std::to_string(i) + " (" + std::to_string(b.id) + ")";
    EXPECT_EQ(a.id, b.id) << what;
    EXPECT_TRUE(a.content_html == b.content_html) << what << ": content differs";
    EXPECT_EQ(a.created_time, b.created_time) << what;
    EXPECT_EQ(a.updated_time, b.updated_time) << what;
    EXPECT_EQ(a.voteup_count, b.voteup_count) << what;
    EXPECT_EQ(a.comment_count, b.comment_count) << what;
    ExpectSameAuthor(a.author, b.author, what);
  }
}

// One answer, five (drained in the page), six (one /feeds page), ten with anonymous authors,
// 55 (eleven /feeds pages) and 185 (37 pages).
TEST_F(BrowserMockTest, SnapshotsEqualTheHttpBackends) {
  auto source = Source();
  ASSERT_TRUE(source);
  for (model::QuestionId id : {619125262ull, 553528155ull, 355903822ull, 603611267ull, 651332768ull,
                               1968000000000000001ull}) {
    SCOPED_TRACE(id);
    const auto start = TestClock().SteadyNow();
    model::Snapshot got = source->FetchQuestion(id);
    const double seconds = std::chrono::duration<double>(TestClock().SteadyNow() - start).count();
    std::printf("question %llu: %zu answers, %d pages, %.2f s\n", static_cast<unsigned long long>(id),
                got.answers.size(), got.pages, seconds);
    ASSERT_EQ(got.outcome, Outcome::kComplete) << model::OutcomeName(got.outcome) << ": " << got.error.message
                                               << " (page " << got.error.page << ")";
    model::Snapshot want = HttpSnapshot(id);
    ASSERT_EQ(want.outcome, Outcome::kComplete) << want.error.message;
    ExpectSameSnapshot(got, want);
  }
}

// The HTTP backend is refused by the same server that the browser reads completely.
TEST_F(BrowserMockTest, TheWebMocksFeedsNeedThePagesSignature) {
  auto http = Http();
  fetch::ZhihuOptions o;
  o.base_url = web_->base_url();
  fetch::ZhihuSource direct(*http, TestClock(), o);
  model::Snapshot refused = direct.FetchQuestion(651332768);
  EXPECT_EQ(refused.outcome, Outcome::kBlocked);
  EXPECT_EQ(refused.error.code, "10003");

  const size_t before = Requests().size();
  model::Snapshot got = Source()->FetchQuestion(355903822);
  ASSERT_EQ(got.outcome, Outcome::kComplete) << got.error.message;
  auto log = Requests();
  int feeds = 0;
  for (size_t i = before; i < log.size(); ++i) {
    if (log[i].value("route", "") != "feeds") continue;
    ++feeds;
    EXPECT_TRUE(log[i].value("signature_valid", false)) << log[i].dump();
  }
  EXPECT_EQ(feeds, 1);
}

}  // namespace
}  // namespace archivist
