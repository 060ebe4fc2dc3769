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
#include <sstream>
#include <future>
#include <optional>

#include "base/cancel.h"
#include "browser/cdp.h"
#include "browser/test_support.h"
#include "browser/zhihu_browser_source.h"
#include "fetch/curl_http_client.h"
#include "fetch/sources/zhihu_json.h"
#include "fetch/sources/zhihu_source.h"
#include "tests/support/mock_process.h"

namespace archivist {
namespace {

using browser::BrowserSourceOptions;
using browser::BrowserZhihuSource;
using browser::testing::SharedBrowser;
using browser::testing::ProfileDir;
using browser::testing::TestClock;
using model::Outcome;

class BrowserMockTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ProfileDir();
    faults_ = dir_->path() + "/faults";
    std::ofstream(faults_).flush();
    const std::vector<std::string> roots = {e2e::TestData() + "/zhihu/questions", e2e::TestData() + "/seed/questions"};
    plain_ = new e2e::MockProcess(roots, {"--web", "--no-signatures"});
    std::vector<std::string> web_roots = roots;
    web_roots.push_back(WriteHeavyQuestion());
    web_ = new e2e::MockProcess(web_roots, {"--web", "--faults", faults_});
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

  // A question whose answer loads images, a video, a font and a frame, from the page's host
  // and from another (the plain mock, another port of 127.0.0.1).
  static std::string WriteHeavyQuestion() {
    const std::string root = dir_->path() + "/heavy";
    const std::string from = e2e::TestData() + "/zhihu/questions/619125262";
    auto read = [](const std::string& path) {
      std::ifstream in(path);
      std::stringstream ss;
      ss << in.rdbuf();
      return std::move(fetch::zhihu::ParseJson(ss.str())).value();
    };
    auto question = read(from + "/question.json");
    auto answers = read(from + "/answers.json");
    question["id"] = std::to_string(kHeavy);
    answers[0]["id"] = "900000000000000002";
    answers[0]["question"]["id"] = std::to_string(kHeavy);
    const std::string other = plain_->base_url();
    answers[0]["content"] = "<p>heavy</p><img src=\"/static/same-host.png\"><img src=\"" + other +
                            "/other-host.png\"><video src=\"/static/clip.mp4\" autoplay></video>"
                            "<style>@font-face{font-family:f;src:url(/static/f.woff2)} p{font-family:f}</style>"
                            "<link rel=\"stylesheet\" href=\"" + other + "/other.css\">"
                            "<iframe src=\"" + other + "/frame\"></iframe>";
    std::filesystem::create_directories(root + "/" + std::to_string(kHeavy));
    std::ofstream(root + "/" + std::to_string(kHeavy) + "/question.json") << question.dump();
    std::ofstream(root + "/" + std::to_string(kHeavy) + "/answers.json") << answers.dump();
    heavy_content_ = answers[0]["content"];
    return root;
  }

  static constexpr model::QuestionId kHeavy = 900000000000000001ull;
  static inline std::string heavy_content_;

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

  // A mock's request log.
  static fetch::zhihu::Json Requests(e2e::MockProcess* mock = web_) {
    fetch::HttpResponse r = Http()->Perform({mock->base_url() + "/_mock/requests", {}});
    auto j = fetch::zhihu::ParseJson(r.body);
    return j.ok() ? *j : fetch::zhihu::Json::array();
  }

  static ProfileDir* dir_;
  static std::string faults_;
  static e2e::MockProcess* web_;
  static e2e::MockProcess* plain_;
};

ProfileDir* BrowserMockTest::dir_ = nullptr;
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
  const auto memory = browser::testing::MemoryOfGroup(SharedBrowser().pid());
  std::printf("browser: %d processes, RSS %ld MiB, PSS %ld MiB\n", memory.processes, memory.rss_kib / 1024,
              memory.pss_kib / 1024);
  EXPECT_GT(memory.processes, 1);
}

// Workers share one source and one browser: three fetches at once on two tabs.
TEST_F(BrowserMockTest, WorkersShareOneBrowser) {
  auto source = Source();
  const std::vector<model::QuestionId> ids = {651332768ull, 603611267ull, 423134842ull};
  std::vector<std::future<model::Snapshot>> running;
  for (model::QuestionId id : ids) {
    running.push_back(std::async(std::launch::async, [&source, id] { return source->FetchQuestion(id); }));
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    SCOPED_TRACE(ids[i]);
    model::Snapshot got = running[i].get();
    ASSERT_EQ(got.outcome, Outcome::kComplete) << got.error.message;
    ExpectSameSnapshot(got, HttpSnapshot(ids[i]));
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

// Only the base URL's host is reachable, and images, media and fonts are not loaded at all:
// those requests never leave the browser.
TEST_F(BrowserMockTest, OtherHostsImagesMediaAndFontsAreNeverRequested) {
  const size_t web_before = Requests().size();
  const size_t other_before = Requests(plain_).size();
  const uint64_t blocked_before = SharedBrowser().stats().requests_blocked;
  model::Snapshot got = Source()->FetchQuestion(kHeavy);
  ASSERT_EQ(got.outcome, Outcome::kComplete) << got.error.message;
  ASSERT_EQ(got.answers.size(), 1u);
  EXPECT_EQ(got.answers[0].content_html, heavy_content_);
  TestClock().SleepFor(std::chrono::milliseconds(300));  // anything late would show by now
  auto web = Requests();
  std::vector<std::string> paths;
  for (size_t i = web_before; i < web.size(); ++i) paths.push_back(web[i].value("path", ""));
  for (const char* never : {"/static/same-host.png", "/static/clip.mp4", "/static/f.woff2"}) {
    EXPECT_EQ(std::count(paths.begin(), paths.end(), never), 0) << never << " was requested";
  }
  EXPECT_GT(std::count(paths.begin(), paths.end(), "/static/app.js"), 0);  // scripts of the host load
  EXPECT_EQ(Requests(plain_).size(), other_before) << "the other host was reached";
  EXPECT_GE(SharedBrowser().stats().requests_blocked, blocked_before + 3);
  std::string blocked;
  for (const auto& url : SharedBrowser().BlockedUrls()) blocked += url + "\n";
  EXPECT_NE(blocked.find(plain_->base_url() + "/other-host.png"), std::string::npos) << blocked;
  EXPECT_NE(blocked.find(plain_->base_url() + "/frame"), std::string::npos) << blocked;
  EXPECT_NE(blocked.find("/static/same-host.png"), std::string::npos) << blocked;
}

struct FaultCase {
  std::string name;
  std::string faults;
  model::QuestionId qid;
  Outcome outcome;
  int page;        // error.page
  int answers;     // answers kept, -1 = not checked
  std::string code = "";
  std::optional<int64_t> retry_after = std::nullopt;
  int page_timeout_s = 15;
};

// Every fault of the web mock, on the 55-answer question (the rendered page 1 holds 5 answers,
// /feeds pages 2..11 hold 5 each): the outcome, the page it names and the answers kept.
TEST_F(BrowserMockTest, EveryFaultGivesItsOutcome) {
  const model::QuestionId q = 651332768;
  const std::vector<FaultCase> cases = {
      {"captcha", "route=question_page action=captcha", q, Outcome::kBlocked, 0, 0},
      {"login wall in the page", "qid=651332768 action=login_wall answers=3", q, Outcome::kAuthRequired, 1, 3},
      {"login wall on /feeds", "qid=651332768 action=login_wall answers=12", q, Outcome::kAuthRequired, 4, 12},
      {"need_force_login", "route=feeds from_page=3 action=force_login", q, Outcome::kAuthRequired, 3, 10},
      {"cut first answer", "route=question_page action=truncate_content", q, Outcome::kAuthRequired, 1, 4},
      {"blocked 40362", "route=feeds page=3 action=status status=403 code=40362", q, Outcome::kBlocked, 3, 10,
       "40362"},
      {"captcha code 40352", "route=feeds page=2 action=status status=403 code=40352", q, Outcome::kBlocked, 2, 5,
       "40352"},
      {"rate limited", "route=feeds page=2 action=status status=429 retry_after=30", q, Outcome::kRateLimited, 2,
       5, "", 30},
      {"server error", "route=feeds page=4 action=status status=502", q, Outcome::kTransient, 4, 15},
      {"not JSON", "route=feeds page=2 action=bad_json", q, Outcome::kInvalidResponse, 2, 5},
      {"pagination loop", "route=feeds page=3 action=loop", q, Outcome::kPartial, 4, 15},
      {"endless scroll", "qid=651332768 action=endless", q, Outcome::kPartial, -1, 55},
      {"missing question", "", 1234567, Outcome::kNotFound, 0, 0},
      {"404 page", "route=question_page qid=651332768 action=status status=404", q, Outcome::kNotFound, 0, 0},
      {"slow page", "route=question_page action=delay ms=1500", q, Outcome::kComplete, 0, 55},
      {"too slow page", "route=question_page action=delay ms=6000", q, Outcome::kTransient, 0, 0, "", {}, 3},
      {"never finishes loading", "route=question_page action=never_load", q, Outcome::kTransient, 0, 0, "", {}, 3},
  };
  for (const FaultCase& c : cases) {
    SCOPED_TRACE(c.name);
    SetFaults(c.faults);
    BrowserSourceOptions o = Options();
    o.page_timeout = std::chrono::seconds(c.page_timeout_s);
    model::Snapshot got = Source(o)->FetchQuestion(c.qid);
    std::printf("%-24s %-16s page %d, %zu answers: %s\n", c.name.c_str(),
                std::string(model::OutcomeName(got.outcome)).c_str(), got.error.page, got.answers.size(),
                got.error.message.c_str());
    EXPECT_EQ(model::OutcomeName(got.outcome), model::OutcomeName(c.outcome)) << got.error.message;
    if (c.outcome != Outcome::kComplete && c.page >= 0) {
      EXPECT_EQ(got.error.page, c.page);
    }
    if (c.answers >= 0) {
      EXPECT_EQ(got.answers.size(), static_cast<size_t>(c.answers));
    }
    EXPECT_EQ(got.error.code, c.code);
    EXPECT_EQ(got.retry_after_seconds, c.retry_after);
  }
}

// The browser dies mid-fetch: that fetch is transient, the next one starts a new browser.
TEST_F(BrowserMockTest, ABrowserCrashMidFetchIsTransientAndTheNextFetchRestartsIt) {
  auto source = Source();
  ASSERT_EQ(source->FetchQuestion(619125262).outcome, Outcome::kComplete);
  browser::Browser& b = SharedBrowser();
  const auto before = b.stats();
  const pid_t pid = b.pid();
  SetFaults("route=feeds page=3 action=delay ms=4000");
  const size_t baseline = Requests().size();
  auto fetch = std::async(std::launch::async, [&] { return source->FetchQuestion(651332768); });
  // Once page 2 (offset 1) was served, the page asks for its slow page 3: kill the browser then.
  bool page2 = false;
  for (int i = 0; i < 200 && !page2; ++i) {
    auto log = Requests();
    for (size_t j = baseline; j < log.size(); ++j) {
      page2 |= log[j].value("route", "") == "feeds" && log[j]["query"].value("offset", "") == "1";
    }
    if (!page2) TestClock().SleepFor(std::chrono::milliseconds(25));
  }
  ASSERT_TRUE(page2);
  TestClock().SleepFor(std::chrono::milliseconds(1000));
  ASSERT_EQ(kill(-pid, SIGKILL), 0);
  model::Snapshot crashed = fetch.get();
  EXPECT_EQ(crashed.outcome, Outcome::kTransient) << crashed.error.message;
  EXPECT_EQ(crashed.error.page, 3) << crashed.error.message;
  EXPECT_EQ(crashed.answers.size(), 10u);
  SetFaults("");
  model::Snapshot after = source->FetchQuestion(651332768);
  EXPECT_EQ(after.outcome, Outcome::kComplete) << after.error.message;
  EXPECT_EQ(after.answers.size(), 55u);
  EXPECT_NE(b.pid(), pid);
  EXPECT_EQ(b.stats().crashes, before.crashes + 1);
  EXPECT_EQ(b.stats().starts, before.starts + 1);
}

// The daemon stops (its CancelToken): a page that never finishes loading, and a listing page
// the page waits for, end with the stop, not with their timeouts (30 s here).
TEST_F(BrowserMockTest, AStopEndsTheFetchInFlight) {
  for (const char* faults : {"route=question_page action=never_load",
                             "route=feeds page=3 action=delay ms=30000"}) {
    SCOPED_TRACE(faults);
    SetFaults(faults);
    CancelToken stop;
    BrowserSourceOptions o = Options();
    o.page_timeout = o.response_timeout = std::chrono::seconds(30);
    o.cancel = &stop;
    auto source = Source(o);
    auto fetch = std::async(std::launch::async, [&] { return source->FetchQuestion(651332768); });
    TestClock().SleepFor(std::chrono::milliseconds(2500));
    stop.Cancel();
    const model::Snapshot got = fetch.get();
    EXPECT_EQ(got.outcome, Outcome::kTransient) << got.error.message;
    EXPECT_NE(got.error.message.find("cancelled"), std::string::npos) << got.error.message;
  }
  SetFaults("");
}

TEST_F(BrowserMockTest, ProbeAnswer) {
  auto source = Source();
  model::Snapshot http = HttpSnapshot(651332768);
  ASSERT_FALSE(http.answers.empty());
  EXPECT_EQ(source->ProbeAnswer(http.answers.back().id), model::ProbeResult::kExists);
  model::FetchError error;
  EXPECT_EQ(source->ProbeAnswer(1, &error), model::ProbeResult::kGone);
  EXPECT_EQ(error.http_status, 404);
  SetFaults("route=answer_page action=captcha");
  EXPECT_EQ(source->ProbeAnswer(http.answers.back().id, &error), model::ProbeResult::kUnknown);
  EXPECT_NE(error.message.find("/account/unhuman"), std::string::npos) << error.message;
}

// The hot list needs a logged-in session; with one it is the HTTP backend's hot list.
TEST_F(BrowserMockTest, HotListNeedsASessionCookie) {
  {
    auto tab = SharedBrowser().OpenTab(TestClock().SteadyNow() + std::chrono::seconds(30));
    ASSERT_TRUE(tab.ok());
    ASSERT_TRUE((*tab)->connection().Call("Network.clearBrowserCookies", browser::Json::object(), (*tab)->session(),
                                          std::chrono::seconds(5)).ok());
  }
  model::FetchError error;
  auto refused = Source()->HotList(&error);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().message().starts_with("auth_required")) << refused.status().message();
  EXPECT_NE(error.message.find("/signin"), std::string::npos) << error.message;

  // A cookies file (Netscape) for the base host logs the browser in.
  const std::string cookies = dir_->path() + "/cookies.txt";
  std::ofstream(cookies) << "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tz_c0\tsession-token\n"
                            ".example.com\tTRUE\t/\tFALSE\t0\tz_c0\tnot-for-this-host\n";
  BrowserSourceOptions o = Options();
  o.cookies_file = cookies;
  auto hot = Source(o)->HotList(&error);
  ASSERT_TRUE(hot.ok()) << hot.status().ToString();
  auto http = Http();
  fetch::ZhihuOptions ho;
  ho.base_url = plain_->base_url();
  auto want = fetch::ZhihuSource(*http, TestClock(), ho).HotList();
  ASSERT_TRUE(want.ok()) << want.status().ToString();
  ASSERT_EQ(hot->size(), want->size());
  for (size_t i = 0; i < want->size(); ++i) {
    EXPECT_EQ((*hot)[i].question_id, (*want)[i].question_id);
    EXPECT_EQ((*hot)[i].title, (*want)[i].title);
    EXPECT_EQ((*hot)[i].heat, (*want)[i].heat);
  }
  auto log = Requests();
  ASSERT_FALSE(log.empty());
  const auto& last_hot = [&]() -> const fetch::zhihu::Json& {
    for (size_t i = log.size(); i-- > 0;) {
      if (log[i].value("path", "") == "/hot") return log[i];
    }
    return log.back();
  }();
  EXPECT_EQ(last_hot["cookies"].value("z_c0", ""), "session-token");

  o.cookies_file = dir_->path() + "/missing.txt";
  auto bad = BrowserZhihuSource::Create(SharedBrowser(), TestClock(), o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("missing.txt"), std::string::npos);
}

// Cookies the site sets (d_c0) are kept in the profile: after a browser restart the page is
// asked for with them.
TEST_F(BrowserMockTest, SiteCookiesPersistInTheProfileAcrossRestarts) {
  auto source = Source();
  ASSERT_EQ(source->FetchQuestion(619125262).outcome, Outcome::kComplete);
  SharedBrowser().Shutdown();
  const size_t before = Requests().size();
  ASSERT_EQ(source->FetchQuestion(553528155).outcome, Outcome::kComplete);
  auto log = Requests();
  bool seen = false;
  for (size_t i = before; i < log.size(); ++i) {
    if (log[i].value("path", "") != "/question/553528155") continue;
    seen = true;
    EXPECT_FALSE(log[i]["cookies"].value("d_c0", "").empty()) << log[i].dump();
  }
  EXPECT_TRUE(seen);
}

// Scroll steps are paced by the host's politeness: 10 /feeds pages at >= 300 ms apart.
TEST_F(BrowserMockTest, ScrollingIsPacedByThePoliteness) {
  fetch::PolitenessOptions po;
  po.per_host_delay = std::chrono::milliseconds(300);
  po.jitter = 0;
  fetch::Politeness politeness(TestClock(), po);
  auto source = Source(Options(), &politeness);
  const auto start = TestClock().SteadyNow();
  model::Snapshot got = source->FetchQuestion(651332768);
  const auto took = TestClock().SteadyNow() - start;
  ASSERT_EQ(got.outcome, Outcome::kComplete) << got.error.message;
  EXPECT_GE(took, 10 * std::chrono::milliseconds(300));
}

}  // namespace
}  // namespace archivist
