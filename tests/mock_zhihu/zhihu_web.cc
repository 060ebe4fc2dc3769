// The mock's web mode: the pages a browser reads and the /feeds pages their script fetches.
//
// Pagination follows www.zhihu.com's web app: the question page renders the first five answers
// itself, and its `next` opens /feeds at offset=1; `offset` counts pages (0 would be the
// page's own five), `limit` is the page size (5 as the site asks, any size honoured), each item
// and `paging.next` carry an opaque cursor, `session_id` is echoed, and `paging` is exactly
// {page, is_end, next, need_force_login} with page = offset+1 and `next` present even at the
// end. So the page's answers followed by every /feeds page are the whole dump in order.
//
// The faults that change a page: login_wall (answers past N are hidden behind
// needForceLogin / need_force_login), endless (the listing never ends; answers repeat under
// new cursors), truncate_content, never_load (the page references /static/pending.css, which
// the server never finishes sending).
#include <algorithm>
#include <filesystem>

#include "tests/mock_zhihu/replies.h"
#include "tests/mock_zhihu/web_pages.h"
#include "tests/mock_zhihu/web_sign.h"
#include "tests/mock_zhihu/zhihu_mock.h"

namespace mock_zhihu {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string HostOf(const Request& req) {
  const std::string host = req.Header("host");
  return host.empty() || host.find_first_of("/?#@ \"<>") != std::string::npos ? "127.0.0.1" : host;
}

// Zhihu's device cookie, when the browser sent none (readable by the page script, as Zhihu's).
void SetDeviceCookie(const Request& req, Reply* r) {
  const auto cookies = ParseCookies(req.Header("cookie"));
  if (auto it = cookies.find("d_c0"); it != cookies.end() && !it->second.empty()) return;
  const std::string value = "A" + RandomHex(32) + "|1768457333";  // Zhihu's: id|issue time
  r->headers.emplace_back("Set-Cookie", "d_c0=" + value + "; Path=/; Max-Age=63072000; SameSite=Lax");
}

int64_t WallOf(const std::optional<Fault>& fault) {
  if (!fault || fault->action != "login_wall") return -1;
  return std::max<int64_t>(0, IntOr(fault->Arg("answers"), kSsrAnswers));
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A local path from a percent-encoded `next` ("%2Fhot" → "/hot"); "/" for anything else.
std::string LocalNext(const std::string& encoded) {
  std::string out;
  for (size_t i = 0; i < encoded.size(); ++i) {
    const int hi = i + 2 < encoded.size() && encoded[i] == '%' ? HexDigit(encoded[i + 1]) : -1;
    const int lo = hi >= 0 ? HexDigit(encoded[i + 2]) : -1;
    if (lo >= 0) {
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += encoded[i];
    }
  }
  const bool local = !out.empty() && out[0] == '/' && (out.size() == 1 || out[1] != '/') &&
                     out.find_first_of("\r\n\\") == std::string::npos;
  return local ? out : "/";
}

}  // namespace

bool ZhihuMock::SignatureValid(const Request& req) const {
  const auto cookies = ParseCookies(req.Header("cookie"));
  const auto d_c0 = cookies.find("d_c0");
  if (d_c0 == cookies.end() || d_c0->second.empty()) return false;
  if (req.Header("x-zse-93") != kZse93) return false;
  return req.Header("x-zse-96") == Signature(key_, req.target, d_c0->second);
}

std::string ZhihuMock::NewSessionId() {
  // 19 digits, like Zhihu's: a fixed prefix and a per-process counter.
  const uint64_t n = ++sessions_;
  std::string tail = std::to_string(n % 1000000000);
  return "1768457333" + std::string(9 - tail.size(), '0') + tail;
}

Reply ZhihuMock::WebError(const Request& req, int status, const std::string& code, const std::string& message) {
  Reply r = ErrorReply(status, code, message);
  if (!options_.web || code != "40352") return r;
  Json body = Json::parse(r.body, nullptr, false);
  body["error"]["need_login"] = true;
  body["error"]["redirect"] = "http://" + HostOf(req) + "/account/unhuman?type=S6E3V1&need_login=true";
  r.body = Dump(body);
  return r;
}

Reply ZhihuMock::WebRoute(const Request& req, const RequestInfo& info, const std::optional<Fault>& fault) {
  if (info.route == "question_page") return QuestionPageReply(req, info, fault);
  if (info.route == "answer_page") return AnswerPageReply(req, info, fault);
  if (info.route == "hot_page") return HotPageReply(req);
  if (info.route == "signin") return SigninReply(req);
  if (info.route == "static") return StaticReply(req);
  return HtmlReply(404, NotFoundPage());
}

Reply ZhihuMock::QuestionPageReply(const Request& req, const RequestInfo& info,
                                   const std::optional<Fault>& fault) {
  const std::string dir = QuestionDir(info.qid);
  if (dir.empty()) return HtmlReply(404, NotFoundPage());
  bool ok = false;
  const Json question = Json::parse(ReadFile(dir + "/question.json", &ok), nullptr, false);
  auto answers = LoadAnswers(dir);
  if (!ok || !question.is_object() || !answers) return HtmlReply(500, ErrorPage(500, "mock: cannot read " + dir));
  const std::string action = fault ? fault->action : "";
  QuestionPageInput in;
  in.host = HostOf(req);
  in.qid = info.qid;
  in.session_id = NewSessionId();
  in.question = &question;
  in.answers = answers.get();
  in.wall_after = WallOf(fault);
  in.endless = action == "endless";
  in.truncate_first = action == "truncate_content";
  in.never_load = action == "never_load";
  Reply r = HtmlReply(200, QuestionPage(in));
  SetDeviceCookie(req, &r);
  return r;
}

Reply ZhihuMock::AnswerPageReply(const Request& req, const RequestInfo& info,
                                 const std::optional<Fault>& fault) {
  auto found = FindAnswer(info.aid);
  if (!found) return HtmlReply(404, NotFoundPage());
  const std::string qid = fs::path(found->first).filename().string();
  if (qid != info.qid) return Redirect("/question/" + qid + "/answer/" + info.aid);
  bool ok = false;
  const Json question = Json::parse(ReadFile(found->first + "/question.json", &ok), nullptr, false);
  Reply r = HtmlReply(200, AnswerPage(qid, question, found->second, fault && fault->action == "never_load"));
  SetDeviceCookie(req, &r);
  return r;
}

Reply ZhihuMock::HotPageReply(const Request& req) {
  const auto cookies = ParseCookies(req.Header("cookie"));
  if (auto z = cookies.find("z_c0"); z == cookies.end() || z->second.empty()) {
    return Redirect("/signin?next=%2Fhot");
  }
  Json list = Json::array();
  for (const auto& [qid, q] : HotQuestions(50)) {
    const int64_t heat = q.value("answer_count", int64_t{0}) * 7 + 13;
    list.push_back({{"id", "0_" + qid}, {"type", "hot_list_feed"}, {"cardId", "Q_" + qid},
                    {"target", {{"titleArea", {{"text", q.value("title", "")}}},
                                {"excerptArea", {{"text", ""}}},
                                {"metricsArea", {{"text", std::to_string(heat) + " 万热度"}}},
                                {"link", {{"url", "https://www.zhihu.com/question/" + qid}}}}}});
  }
  Reply r = HtmlReply(200, HotPage(list));
  SetDeviceCookie(req, &r);
  return r;
}

Reply ZhihuMock::SigninReply(const Request& req) {
  if (req.method != "POST") return HtmlReply(200, SigninPage(req.Query("next")));
  // Any submitted form logs in: a z_c0 session cookie and back to `next`.
  Reply r = Redirect(LocalNext(req.Query("next")));
  r.headers.emplace_back("Set-Cookie", "z_c0=2|1:0|10:mock|" + RandomHex(32) + "; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax");
  return r;
}

Reply ZhihuMock::StaticReply(const Request& req) {
  const std::string path = req.Path();
  Reply r;
  if (path == "/static/app.js") {
    r.body = AppJs(key_);
    r.headers.emplace_back("Content-Type", "application/javascript; charset=utf-8");
    r.headers.emplace_back("Cache-Control", "no-store");  // the key changes with every process
    return r;
  }
  if (path == "/static/pending.css") {
    r.body = "/* loading */\n";
    r.headers.emplace_back("Content-Type", "text/css; charset=utf-8");
    r.misbehave = Reply::Misbehave::kHold;
    return r;
  }
  r.status = 404;
  r.body = "not found\n";
  r.headers.emplace_back("Content-Type", "text/plain");
  return r;
}

Reply ZhihuMock::WebFeeds(const Request& req, const RequestInfo& info, const std::optional<Fault>& fault) {
  const std::string dir = QuestionDir(info.qid);
  if (dir.empty()) return ErrorReply(404, "", "问题不存在或已被删除");
  auto answers = LoadAnswers(dir);
  if (!answers) return ErrorReply(500, "", "mock: cannot read " + dir + "/answers.json");
  const std::string action = fault ? fault->action : "";
  const int64_t limit = options_.page_size > 0 ? options_.page_size
                                               : std::clamp<int64_t>(IntOr(req.Query("limit"), 5), 1, 100);
  const int64_t offset = std::clamp<int64_t>(IntOr(req.Query("offset"), 0), 0, 1 << 24);
  const int64_t n = static_cast<int64_t>(answers->size()), wall = WallOf(fault);
  const int64_t start = offset == 0 ? 0 : kSsrAnswers + (offset - 1) * limit;
  int64_t stop = start + (offset == 0 ? kSsrAnswers : limit);
  const bool endless = action == "endless", walled = wall >= 0 && wall < n;
  bool need_login = action == "force_login";
  if (walled) {
    if (start >= wall) need_login = true;
    stop = start >= wall ? start : std::min(stop, wall);
  }
  if (!endless) stop = std::max(start, std::min(stop, n));
  if (n == 0) stop = start;
  Json data = Json::array();
  if (action == "foreign_card") {
    data.push_back({{"type", "question_feed_card"}, {"target_type", "zvideo"},
                    {"target", {{"id", "1"}, {"type", "zvideo"}}}});
  }
  for (int64_t i = start; i < stop; ++i) {
    Json a = (*answers)[static_cast<size_t>(endless ? i % n : i)];
    if (action == "truncate_content" && i == start) {
      a["content_need_truncated"] = true;
      a["content"] = "<p>登录后查看全文</p>";
    }
    data.push_back({{"type", "question_feed_card"}, {"target_type", "answer"}, {"skip_count", false},
                    {"position", i - start}, {"cursor", FeedCursor(info.qid, i)},
                    {"is_jump_native", false}, {"target", std::move(a)}});
  }
  const bool is_end = !endless && !walled && stop >= n && action != "loop" && action != "loop_forward";
  std::string session = req.Query("session_id");
  if (session.empty() || session.size() > 20 || session.find_first_not_of("0123456789") != std::string::npos) {
    session = NewSessionId();
  }
  const std::string cursor = FeedCursor(info.qid, std::max<int64_t>(0, stop - 1));
  const std::string next = FeedsUrl(HostOf(req), info.qid, cursor, action == "loop" ? offset : offset + 1,
                                    limit, session);
  Json paging = {{"page", offset + 1}, {"is_end", is_end}, {"next", next}, {"need_force_login", need_login}};
  Json body = {{"data", std::move(data)}, {"paging", std::move(paging)}, {"session", {{"id", session}}},
               {"finished_reading_filtered_count", 0}};
  return JsonReply(200, Dump(body));
}

}  // namespace mock_zhihu
