// The viewer's pages over a real SQLite archive built through the store's write path.
#include "web/site.h"

#include <gtest/gtest.h>

#include "base/fake_clock.h"
#include "store/sqlite_store.h"
#include "tests/support/temp_dir.h"
#include "web/feeds.h"

namespace archivist::web {
void ExpectInertMarkup(const std::string& html);  // html_test.cc
namespace {

using model::EventKind;

constexpr model::QuestionId kQuestion = 42;
constexpr char kHostile[] =
    "<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)> "
    "<svg onload=alert(4)>";

model::NewRevision Rev(model::AnswerId id, int number, const std::string& author,
                       const std::string& markdown) {
  model::NewRevision r;
  r.answer_id = id;
  r.number = number;
  r.html = "<p>" + markdown + "</p>";
  r.content_hash = "h" + std::to_string(id) + "-" + std::to_string(number);
  r.author_name = author;
  r.created_time = 100;
  r.updated_time = 100 + number;
  r.markdown = markdown;
  r.normalizer_version = 1;
  return r;
}

class SiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::SqliteStore::Open(dir_.path() + "/a.db");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    const store::ThreadKey key{"zhihu", kQuestion};
    ASSERT_TRUE(store_->AddThread(key, Timestamp::FromSeconds(900)).ok());
    model::ChangeSet first;
    first.thread.title = "测试问题 <b>bold</b>";
    first.thread.first_archive = true;
    first.answers = {{11, true, model::AnswerState::kPresent, "张三", 0, true},
                     {12, true, model::AnswerState::kPresent, "evil", 0, true}};
    first.revisions = {Rev(11, 1, "张三", "第一版 文本"), Rev(12, 1, "evil", kHostile)};
    first.events = {{EventKind::kThreadAdded, 0, 0, "测试问题 <b>bold</b>"},
                    {EventKind::kAnswerAdded, 11, 1, ""},
                    {EventKind::kAnswerAdded, 12, 1, ""}};
    first.order = std::vector<model::AnswerId>{11, 12};
    Commit(1000, std::move(first));
    model::ChangeSet edit;
    edit.answers = {{11, false, model::AnswerState::kPresent, "张三", 0, true},
                    {12, false, model::AnswerState::kPresent, "evil", 0, true}};
    edit.revisions = {Rev(11, 2, "张三", "第二版 文本")};
    edit.events = {{EventKind::kAnswerEdited, 11, 2, ""}};
    edit.order = std::vector<model::AnswerId>{11, 12};
    Commit(2000, std::move(edit));
    model::ChangeSet gone;
    gone.answers = {{12, false, model::AnswerState::kDeleted, "evil", 0, false}};
    gone.events = {{EventKind::kAnswerDeleted, 12, 0, "probe: gone"}};
    gone.order = std::vector<model::AnswerId>{11, 12};
    Commit(3000, std::move(gone));
    site_ = std::make_unique<Site>(*store_, SiteOptions{"127.0.0.1:9185", {}, &clock_});
  }

  void Commit(int64_t seconds, model::ChangeSet changes) {
    auto state = store_->LoadState({"zhihu", kQuestion});
    ASSERT_TRUE(state.ok());
    changes.base_version = state->version;
    store::RefreshRecord r;
    r.thread = {"zhihu", kQuestion};
    r.observed_at = Timestamp::FromSeconds(seconds);
    r.fetch.started_at = r.observed_at;
    r.fetch.outcome = model::Outcome::kComplete;
    r.fetch.http_status = 200;
    r.changes = std::move(changes);
    Status st = store_->CommitRefresh(r);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  Reply Get(const std::string& path, std::map<std::string, std::string> params = {},
            const std::string& host = "viewer.example:8080") {
    return site_->Handle({path, std::move(params), host});
  }

  test_support::TempDir dir_;
  FakeClock clock_{Timestamp::FromSeconds(5000)};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Site> site_;
};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void ExpectInert(const std::string& body) {
  ExpectInertMarkup(body);
  EXPECT_FALSE(Has(body, "<img src=\"x\"")) << body;
}

TEST_F(SiteTest, EveryReplyCarriesTheContentSecurityPolicy) {
  for (const std::string path : {"/", "/question/42", "/nowhere", "/feeds/all.atom"}) {
    const Reply reply = Get(path);
    bool csp = false;
    for (const auto& [name, value] : reply.headers) {
      if (name == "Content-Security-Policy") csp = value.starts_with("default-src 'none'");
    }
    EXPECT_TRUE(csp) << path;
  }
}

TEST_F(SiteTest, IndexListsTheThreadWithItsTitleEscaped) {
  const Reply reply = Get("/");
  EXPECT_EQ(reply.status, 200);
  EXPECT_TRUE(Has(reply.body, "测试问题 &lt;b&gt;bold&lt;/b&gt;")) << reply.body;
  EXPECT_TRUE(Has(reply.body, "href=\"/question/42\""));
  EXPECT_FALSE(Has(reply.body, "<b>bold"));
}

// A large archive is listed a page at a time: 100 threads a page, newer and older links, a
// page beyond the last shows the last, and a page that is not a number is refused.
TEST_F(SiteTest, TheIndexIsPaged) {
  for (model::QuestionId q = 1000; q < 1229; ++q) {  // 229 more: 230 threads, 3 pages
    ASSERT_TRUE(store_->AddThread({"zhihu", q}, Timestamp::FromSeconds(800)).ok());
  }
  auto rows = [](const std::string& body) {
    size_t n = 0;
    for (size_t at = body.find("<tr><td>"); at != std::string::npos; at = body.find("<tr><td>", at + 1)) ++n;
    return n;
  };
  const Reply first = Get("/");
  EXPECT_EQ(rows(first.body), 100u);
  EXPECT_TRUE(Has(first.body, "230 threads · page 1 of 3")) << first.body.substr(0, 2000);
  EXPECT_TRUE(Has(first.body, "href=\"/?page=2\">older</a>"));
  EXPECT_FALSE(Has(first.body, ">newer</a>"));
  EXPECT_TRUE(Has(first.body, "href=\"/question/42\""));  // the one with a change comes first
  const Reply last = Get("/", {{"page", "3"}});
  EXPECT_EQ(rows(last.body), 30u);
  EXPECT_TRUE(Has(last.body, "href=\"/?page=2\">newer</a>"));
  EXPECT_EQ(Get("/", {{"page", "99"}}).body, last.body);
  EXPECT_EQ(Get("/", {{"page", "0"}}).status, 400);
  EXPECT_EQ(Get("/", {{"page", "x"}}).status, 400);
}

TEST_F(SiteTest, ThreadNowShowsTheLatestTextAndMarksTheDeletedAnswer) {
  const Reply reply = Get("/question/42");
  ASSERT_EQ(reply.status, 200);
  EXPECT_TRUE(Has(reply.body, "第二版 文本"));
  EXPECT_FALSE(Has(reply.body, "第一版"));
  EXPECT_TRUE(Has(reply.body, "<article class=\"answer deleted\" id=\"a12\">")) << reply.body;
  EXPECT_TRUE(Has(reply.body, "<span class=\"badge\">deleted</span> 1970-01-01 00:50 UTC"));
  EXPECT_TRUE(Has(reply.body, "probe: gone"));
  EXPECT_TRUE(Has(reply.body, "<html lang=\"zh\">"));
  EXPECT_TRUE(Has(reply.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));  // shown, as text
  ExpectInert(reply.body);
}

TEST_F(SiteTest, ThreadAtAnEarlierTimeShowsThatTimesTextAndStepLinks) {
  const Reply reply = Get("/question/42", {{"at", "1970-01-01T00:25:00Z"}});
  ASSERT_EQ(reply.status, 200);
  EXPECT_TRUE(Has(reply.body, "第一版 文本"));
  EXPECT_FALSE(Has(reply.body, "第二版"));
  EXPECT_FALSE(Has(reply.body, "answer deleted"));  // not yet deleted then
  EXPECT_TRUE(Has(reply.body, "rel=\"next\" href=\"/question/42?at=1970-01-01T00:33:20Z\""))
      << reply.body;
  EXPECT_FALSE(Has(reply.body, "rel=\"prev\""));  // the first event
  const Reply middle = Get("/question/42", {{"at", "1970-01-01T00:33:20Z"}});
  EXPECT_TRUE(Has(middle.body, "rel=\"prev\" href=\"/question/42?at=1970-01-01T00:16:40Z\""));
  ExpectInert(reply.body);
}

TEST_F(SiteTest, BadOrUnknownInputGetsAClearError) {
  EXPECT_EQ(Get("/question/42", {{"at", "soon"}}).status, 400);
  EXPECT_EQ(Get("/question/42", {{"at", "1960-01-01T00:00:00Z"}}).status, 404);
  EXPECT_EQ(Get("/question/7").status, 404);
  EXPECT_EQ(Get("/question/abc").status, 404);
  EXPECT_EQ(Get("/answer/999").status, 404);
  const Reply bad = Get("/answer/11/diff", {{"from", "<x>"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(Has(bad.body, "&lt;x&gt;"));
  EXPECT_FALSE(Has(bad.body, "<x>"));
}

TEST_F(SiteTest, AnswerPageListsRevisionsWithAuthorAndSize) {
  const Reply reply = Get("/answer/11");
  ASSERT_EQ(reply.status, 200);
  EXPECT_TRUE(Has(reply.body, "张三"));
  EXPECT_TRUE(Has(reply.body, "<td>2</td>"));
  EXPECT_TRUE(Has(reply.body, "6 (+1 −1)")) << reply.body;
  EXPECT_TRUE(Has(reply.body, "/answer/11/diff?question=42&amp;from=1&amp;to=2"));
}

TEST_F(SiteTest, DiffMarksTheChangedCharacterSideBySide) {
  const Reply reply = Get("/answer/11/diff", {{"from", "1"}, {"to", "2"}});
  ASSERT_EQ(reply.status, 200);
  EXPECT_TRUE(Has(reply.body, "第<del>一</del>版 文本")) << reply.body;
  EXPECT_TRUE(Has(reply.body, "第<ins>二</ins>版 文本"));
}

TEST_F(SiteTest, FeedsAreNewestFirstWithStableIdsAndLinksOnTheRequestHost) {
  const Reply reply = Get("/feeds/all.atom");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.content_type, "application/atom+xml; charset=utf-8");
  const std::string& feed = reply.body;
  size_t entries = 0;
  for (size_t p = feed.find("<entry>"); p != std::string::npos; p = feed.find("<entry>", p + 1)) ++entries;
  EXPECT_EQ(entries, 5u);
  const size_t deleted = feed.find("answer by evil deleted in «测试问题 &lt;b&gt;bold&lt;/b&gt;»");
  const size_t edited = feed.find("answer by 张三 edited in «测试问题");
  ASSERT_NE(deleted, std::string::npos) << feed;
  ASSERT_NE(edited, std::string::npos);
  EXPECT_LT(deleted, edited);
  EXPECT_TRUE(Has(feed, "href=\"http://viewer.example:8080/answer/11/diff?question=42&amp;from=1&amp;to=2\""));
  EXPECT_TRUE(Has(feed, "<id>tag:archivist.invalid,2026:event/zhihu/42/2000000000/answer_edited/11/2</id>"));
  EXPECT_EQ(Get("/feeds/all.atom").body, feed);  // the same ids every time
  const Reply thread = Get("/feeds/42.atom", {}, "evil.example/\"><x");
  EXPECT_TRUE(Has(thread.body, "href=\"http://127.0.0.1:9185/feeds/42.atom\"")) << thread.body;
  EXPECT_EQ(Get("/feeds/43.atom").status, 404);
}

TEST_F(SiteTest, ChangesPageListsEventsSince) {
  const Reply all = Get("/changes");
  EXPECT_TRUE(Has(all.body, "5 events"));
  const Reply recent = Get("/changes", {{"since", "1970-01-01T00:40:00Z"}});
  EXPECT_TRUE(Has(recent.body, "1 events")) << recent.body;
  EXPECT_TRUE(Has(recent.body, "answer by evil deleted"));
}

// A stored image of the thread is linked at /media/<sha256> and served from the archive; an
// image not stored loses its source: no page asks the source or the proxy for anything.
TEST_F(SiteTest, ImagesComeFromTheArchiveOnly) {
  const std::string stored = "https://pic1.zhimg.com/v2-a_r.jpg";
  const std::string missing = "https://pic1.zhimg.com/v2-b_r.jpg";
  const std::string proxy = "https://images.weserv.nl/?url=";
  model::ChangeSet edit;
  edit.answers = {{11, false, model::AnswerState::kPresent, "张三", 0, true}};
  edit.revisions = {Rev(11, 3, "张三", "图 ![](" + proxy + "https%3A//pic1.zhimg.com/v2-a_r.jpg) ![b](" +
                                          proxy + "https%3A//pic1.zhimg.com/v2-b_r.jpg)")};
  edit.revisions[0].image_urls = {stored, missing};
  edit.events = {{EventKind::kAnswerEdited, 11, 3, ""}};
  edit.order = std::vector<model::AnswerId>{11, 12};
  Commit(4000, std::move(edit));
  const std::string sha(64, 'e');
  store::MediaFetchRecord f;
  f.url = stored;
  f.at = Timestamp::FromSeconds(4001);
  f.status = store::MediaStatus::kStored;
  f.http_status = 200;
  f.sha256 = sha;
  f.media_type = "image/png";
  f.data = "\x89PNG bytes";
  ASSERT_TRUE(store_->RecordMediaFetch(f).ok());

  const Reply page = Get("/question/42");
  EXPECT_TRUE(Has(page.body, "src=\"/media/" + sha + "\"")) << page.body;
  EXPECT_FALSE(Has(page.body, "weserv")) << page.body;
  EXPECT_FALSE(Has(page.body, "zhimg")) << page.body;
  EXPECT_TRUE(Has(page.body, "<img src=\"\" alt=\"b\"")) << page.body;

  const Reply image = Get("/media/" + sha);
  EXPECT_EQ(image.status, 200);
  EXPECT_EQ(image.content_type, "image/png");
  EXPECT_EQ(image.body, "\x89PNG bytes");
  bool immutable = false;
  for (const auto& [name, value] : image.headers) {
    if (name == "Cache-Control") immutable = Has(value, "immutable");
  }
  EXPECT_TRUE(immutable);
  EXPECT_EQ(Get("/media/" + std::string(64, 'f')).status, 404);
  EXPECT_EQ(Get("/media/../../etc/passwd").status, 404);
  EXPECT_EQ(Get("/media/" + std::string(64, 'E')).status, 404);
}

TEST(BaseUrlTest, OnlyPlainHostsAreTrusted) {
  EXPECT_EQ(BaseUrl("example.org:8080", "127.0.0.1:1"), "http://example.org:8080");
  EXPECT_EQ(BaseUrl("[::1]:9185", "127.0.0.1:1"), "http://[::1]:9185");
  EXPECT_EQ(BaseUrl("a b", "127.0.0.1:1"), "http://127.0.0.1:1");
  EXPECT_EQ(BaseUrl("x.org:80/<", "127.0.0.1:1"), "http://127.0.0.1:1");
  EXPECT_EQ(BaseUrl("x.org:", "127.0.0.1:1"), "http://127.0.0.1:1");
  EXPECT_EQ(BaseUrl("", "127.0.0.1:1"), "http://127.0.0.1:1");
}

}  // namespace
}  // namespace archivist::web
