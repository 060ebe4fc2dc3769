// fetch/ against the real mock_zhihu process on loopback: CurlHttpClient's features and
// failure paths over real sockets, and the pagination of every fixture question.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "base/clock.h"
#include "fetch/curl_http_client.h"
#include "fetch/sources/zhihu_source.h"
#include "tests/support/mock_process.h"

namespace archivist::e2e {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using fetch::CurlHttpClient;
using fetch::CurlOptions;
using fetch::HttpResponse;
using fetch::TransportError;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

uint64_t IdOf(const Json& v) {
  return v.is_string() ? std::stoull(v.get<std::string>()) : v.get<uint64_t>();
}

std::vector<fs::path> FixtureDirs() {
  std::vector<fs::path> dirs;
  for (const char* root : {"zhihu/questions", "seed/questions"}) {
    for (const auto& e : fs::directory_iterator(fs::path(TestData()) / root)) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

std::unique_ptr<CurlHttpClient> Client(CurlOptions o = {}) {
  auto c = CurlHttpClient::Create(std::move(o));
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(c).value() : nullptr;
}

TEST(FixturePaginationTest, EveryQuestionAtPageSizes1And5And20IsCompleteAndInOrder) {
  ASSERT_FALSE(TestData().empty());
  MockProcess mock({TestData() + "/zhihu/questions", TestData() + "/seed/questions"}, {"--no-log"});
  ASSERT_TRUE(mock.ok()) << mock.error();
  auto http = Client();
  RealClock clock;
  const std::vector<fs::path> dirs = FixtureDirs();
  ASSERT_EQ(dirs.size(), 248u);
  size_t answers_checked = 0;
  for (const fs::path& dir : dirs) {
    const Json expected = Json::parse(ReadFile(dir / "answers.json"));
    const uint64_t qid = std::stoull(dir.filename().string());
    for (int page_size : {1, 5, 20}) {
      fetch::ZhihuOptions o;
      o.base_url = mock.base_url();
      o.page_size = page_size;
      const model::Snapshot s = fetch::ZhihuSource(*http, clock, o).FetchQuestion(qid);
      ASSERT_TRUE(s.complete()) << qid << " at " << page_size << ": " << OutcomeName(s.outcome) << " "
                                << s.error.message;
      ASSERT_EQ(s.answers.size(), expected.size()) << qid << " at " << page_size;
      EXPECT_EQ(s.pages, std::max<int>(1, (expected.size() + page_size - 1) / page_size));
      for (size_t i = 0; i < expected.size(); ++i) {
        const Json& e = expected[i];
        const model::Answer& a = s.answers[i];
        ASSERT_EQ(a.id, IdOf(e["id"])) << qid << " #" << i << " at " << page_size;
        EXPECT_EQ(a.author.name, e["author"].value("name", ""));
        EXPECT_EQ(a.created_time, e["created_time"].get<int64_t>());
        EXPECT_EQ(a.updated_time, e["updated_time"].get<int64_t>());
        EXPECT_EQ(a.content_html, e["content"].get<std::string>());
        ++answers_checked;
      }
    }
  }
  EXPECT_EQ(answers_checked, 3u * 1655u);
}

class CurlAgainstMockTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    faults_ = new std::string(fs::temp_directory_path() / ("archivist_faults_" + std::to_string(getpid())));
    std::ofstream(*faults_) << "";
    mock_ = new MockProcess({TestData() + "/zhihu/questions", TestData() + "/seed/questions"},
                            {"--faults", *faults_});
  }
  static void TearDownTestSuite() {
    delete mock_;
    fs::remove(*faults_);
    delete faults_;
  }
  void SetUp() override { ASSERT_TRUE(mock_->ok()) << mock_->error(); }
  void TearDown() override { SetFaults(""); }
  static void SetFaults(const std::string& text) { std::ofstream(*faults_) << text; }
  static std::string Url(const std::string& path) { return mock_->base_url() + path; }
  static inline const std::string kQuestion = "/api/v4/questions/1968000000000000001";

  static MockProcess* mock_;
  static std::string* faults_;
};
MockProcess* CurlAgainstMockTest::mock_ = nullptr;
std::string* CurlAgainstMockTest::faults_ = nullptr;

TEST_F(CurlAgainstMockTest, GzipBodiesAreDecoded) {
  SetFaults("route=question action=gzip\n");
  HttpResponse r = Client()->Perform({Url(kQuestion), {}});
  ASSERT_TRUE(r.transport_ok()) << r.error_message;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-encoding"), "gzip");
  EXPECT_EQ(r.body, ReadFile(fs::path(TestData()) / "seed/questions/1968000000000000001/question.json"));
}

TEST_F(CurlAgainstMockTest, SendsUserAgentHeadersCookieAndCookiesFile) {
  const fs::path jar = fs::temp_directory_path() / ("archivist_cookies_" + std::to_string(getpid()));
  std::ofstream(jar) << "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tz_c0\tsecret-token\n";
  CurlOptions o;
  o.user_agent = "archivist-test/1";
  o.headers = {{"X-Test", "yes"}};
  o.cookie = "d_c0=abc";
  o.cookies_file = jar.string();
  HttpResponse r = Client(o)->Perform({Url(kQuestion), {{"X-Per-Request", "1"}}});
  ASSERT_EQ(r.status, 200);
  HttpResponse log = Client()->Perform({Url("/_mock/requests"), {}});
  const Json last = Json::parse(log.body).back();  // control requests are not logged
  EXPECT_EQ(last["target"], kQuestion);
  EXPECT_EQ(last["headers"]["user-agent"], "archivist-test/1");
  EXPECT_EQ(last["headers"]["x-test"], "yes");
  EXPECT_EQ(last["headers"]["x-per-request"], "1");
  const std::string cookie = last["headers"]["cookie"];
  EXPECT_NE(cookie.find("d_c0=abc"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("z_c0=secret-token"), std::string::npos) << cookie;
  EXPECT_NE(std::string(last["headers"].value("accept-encoding", "")).find("gzip"), std::string::npos);
  fs::remove(jar);
}

TEST_F(CurlAgainstMockTest, MissingCookiesFileIsAnError) {
  CurlOptions o;
  o.cookies_file = "/nonexistent/cookies.txt";
  auto c = CurlHttpClient::Create(o);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("/nonexistent/cookies.txt"), std::string::npos);
}

TEST_F(CurlAgainstMockTest, BodyOverTheCapIsAbortedAsTooLarge) {
  SetFaults("route=question action=huge bytes=67108864\n");  // 64 MiB, no way to keep it all
  CurlOptions o;
  o.max_body = 1 << 20;
  HttpResponse r = Client(o)->Perform({Url(kQuestion), {}});
  EXPECT_EQ(r.error, TransportError::kTooLarge) << r.error_message;
  EXPECT_TRUE(r.body.empty());
}

TEST_F(CurlAgainstMockTest, DecodedBodyOverTheCapIsAbortedEvenWhenCompressedItFits) {
  // A page of all 185 answers is ~290 KB decoded; gzip makes it far smaller than the cap, so only
  // the write callback's count of decoded bytes can stop it (a compression bomb's case).
  SetFaults("route=feeds action=gzip\n");
  CurlOptions o;
  o.max_body = 100 * 1024;
  HttpResponse r = Client(o)->Perform({Url(kQuestion + "/feeds?limit=200&offset=0"), {}});
  EXPECT_EQ(r.error, TransportError::kTooLarge) << TransportErrorName(r.error) << " " << r.error_message;
  EXPECT_TRUE(r.body.empty());
  o.max_body = 32 << 20;
  r = Client(o)->Perform({Url(kQuestion + "/feeds?limit=200&offset=0"), {}});
  EXPECT_TRUE(r.transport_ok()) << r.error_message;
  EXPECT_GT(r.body.size(), 100u * 1024);
}

TEST_F(CurlAgainstMockTest, DelayBeyondTheTimeoutIsATimeout) {
  SetFaults("route=question action=delay ms=3000\n");
  CurlOptions o;
  o.timeout = std::chrono::milliseconds(300);
  HttpResponse r = Client(o)->Perform({Url(kQuestion), {}});
  EXPECT_EQ(r.error, TransportError::kTimeout) << r.error_message;
}

TEST_F(CurlAgainstMockTest, ResetAndCutBodies) {
  SetFaults("route=question action=reset\n");
  HttpResponse r = Client()->Perform({Url(kQuestion), {}});
  EXPECT_EQ(r.error, TransportError::kReset) << TransportErrorName(r.error) << " " << r.error_message;
  SetFaults("route=question action=cut\n");
  r = Client()->Perform({Url(kQuestion), {}});
  EXPECT_EQ(r.error, TransportError::kTruncated) << TransportErrorName(r.error) << " " << r.error_message;
}

TEST_F(CurlAgainstMockTest, RedirectsAreFollowedAndCapped) {
  SetFaults("route=question action=captcha\n");
  HttpResponse r = Client()->Perform({Url(kQuestion), {}});
  ASSERT_TRUE(r.transport_ok()) << r.error_message;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.redirects, 1);
  EXPECT_NE(r.effective_url.find("/account/unhuman"), std::string::npos);
  CurlOptions o;
  o.max_redirects = 0;
  r = Client(o)->Perform({Url(kQuestion), {}});
  EXPECT_EQ(r.error, TransportError::kTooManyRedirects);
}

TEST_F(CurlAgainstMockTest, ManyTransfersAtOnceKeepTheirOrder) {
  SetFaults("route=question action=delay ms=100\n");
  std::vector<fetch::HttpRequest> reqs;
  const std::vector<fs::path> dirs = FixtureDirs();
  for (size_t i = 0; i < 8; ++i) reqs.push_back({Url("/api/v4/questions/" + dirs[i].filename().string()), {}});
  auto got = Client()->PerformAll(reqs);
  ASSERT_EQ(got.size(), 8u);
  for (size_t i = 0; i < 8; ++i) {
    ASSERT_EQ(got[i].status, 200) << got[i].error_message;
    EXPECT_EQ(Json::parse(got[i].body)["id"], dirs[i].filename().string());
  }
}

}  // namespace
}  // namespace archivist::e2e
