// The web mode's pages. Each page is a shell (head with an inline stylesheet, a root element
// the script fills, the js-initialData script element, then /static/app.js) around the state
// Zhihu's own server renders: entities in camelCase keyed by id, and for a question the
// listing head `question.answers[qid]` whose `next` starts the /feeds walk at offset 1.
// Answer blocks are at least 480 px tall (as Zhihu's cards with their action bars are), so the
// first five fill more than a 800×600 viewport and the reader has to scroll for more.
#include "tests/mock_zhihu/web_pages.h"

#include <algorithm>

#include "tests/mock_zhihu/web_sign.h"

namespace mock_zhihu {
namespace {

using Json = nlohmann::json;

constexpr int kMaxCamelDepth = 16;

// The `include` of Zhihu's own /feeds URLs (abridged), percent-encoded as the site sends it.
constexpr char kInclude[] =
    "data%5B%2A%5D.is_normal%2Cadmin_closed_comment%2Creward_info%2Cis_collapsed%2Ccollapse_reason"
    "%2Ccomment_count%2Ccan_comment%2Ccontent%2Ceditable_content%2Cvoteup_count%2Ccreated_time"
    "%2Cupdated_time%2Cquestion%2Cexcerpt%2Cpaid_info%2Crelationship.is_authorized%2Cis_author"
    "%2Cvoting%2Cis_thanked%2Cis_nothelp%3Bdata%5B%2A%5D.author.follower_count%2Cvip_info"
    "%2Cbadge%5B%2A%5D.topics%3Bdata%5B%2A%5D.settings.table_of_content.enabled";

constexpr char kStyle[] =
    "body{margin:0;font:15px/1.7 -apple-system,'PingFang SC','Microsoft YaHei',sans-serif;"
    "background:#f6f6f6;color:#121212}"
    "main{max-width:694px;margin:0 auto;padding:16px}"
    ".QuestionHeader,.List-item,.HotItem{background:#fff;margin-bottom:10px;padding:16px 20px}"
    ".AnswerItem{min-height:480px}"
    ".AuthorInfo-name{font-weight:600}"
    ".ContentItem-time,.ContentItem-actions{color:#8590a6;font-size:14px;margin-top:10px}"
    ".RichContent-inner img{max-width:100%;height:auto}"
    ".List-end{min-height:1px;padding:16px;text-align:center;color:#8590a6}";

std::string Camel(const std::string& key) {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    if (key[i] == '_' && i > 0 && i + 1 < key.size() && key[i + 1] != '_') {
      const char c = key[++i];
      out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    } else {
      out += key[i];
    }
  }
  return out;
}

std::string Shell(const std::string& title, const std::string& head, const std::string& body,
                  const Json& initial_data, bool never_load) {
  std::string out = "<!doctype html>\n<html lang=\"zh\" data-theme=\"light\"><head>"
                    "<meta charset=\"utf-8\"><title>" + HtmlEscape(title) + "</title>"
                    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">";
  out += head;
  out += "<style>" + std::string(kStyle) + "</style>";
  // A stylesheet the server holds open: neither the parser-blocking script below nor the
  // load event can ever run.
  if (never_load) out += "<link rel=\"stylesheet\" href=\"/static/pending.css\">";
  out += "</head>\n<body>" + body + "\n<script id=\"js-initialData\" type=\"text/json\">";
  out += ScriptJson(initial_data);
  out += "</script>\n<script src=\"/static/app.js\"></script>\n</body></html>\n";
  return out;
}

// An answer of answers.json as the page's state holds it.
Json PageAnswer(const Json& a, bool truncate) {
  Json c = ToCamel(a);
  c["id"] = IdText(a["id"]);
  c["type"] = "answer";
  if (c.contains("question") && c["question"].is_object() && c["question"].contains("id")) {
    c["question"]["id"] = IdText(c["question"]["id"]);
  }
  if (truncate) {
    c["contentNeedTruncated"] = true;
    c["content"] = "<p>登录后查看全文</p>";
  }
  return c;
}

Json PageQuestion(const std::string& qid, const Json& question, int64_t answers) {
  Json q = question.is_object() ? ToCamel(question) : Json::object();
  q["id"] = qid;
  q["type"] = "question";
  if (!q.contains("answerCount")) q["answerCount"] = answers;
  if (!q.contains("title")) q["title"] = "";
  return q;
}

std::string TitleOf(const Json& question) {
  auto t = question.is_object() ? question.find("title") : question.end();
  return t != question.end() && t->is_string() ? t->get<std::string>() : std::string();
}

}  // namespace

std::string IdText(const Json& id) {
  if (id.is_string()) return id.get<std::string>();
  if (id.is_number_integer()) return id.dump();
  return "";
}

Json ToCamel(const Json& v, int depth) {
  if (depth >= kMaxCamelDepth) return v;
  if (v.is_array()) {
    Json out = Json::array();
    for (const Json& e : v) out.push_back(ToCamel(e, depth + 1));
    return out;
  }
  if (!v.is_object()) return v;
  Json out = Json::object();
  for (auto it = v.begin(); it != v.end(); ++it) out[Camel(it.key())] = ToCamel(it.value(), depth + 1);
  return out;
}

std::string ScriptJson(const Json& v) {
  const std::string text = v.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (char c : text) {
    if (c == '<') out += "\\u003c";
    else out += c;
  }
  return out;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string FeedCursor(std::string_view qid, int64_t index) {
  return KeyedHash("cursor", std::string(qid) + ":" + std::to_string(index));
}

std::string FeedsUrl(const std::string& host, const std::string& qid, const std::string& cursor,
                     int64_t offset, int64_t limit, const std::string& session_id) {
  return "http://" + host + "/api/v4/questions/" + qid + "/feeds?cursor=" + cursor +
         "&include=" + kInclude + "&limit=" + std::to_string(limit) +
         "&offset=" + std::to_string(offset) + "&order=default&platform=desktop&session_id=" +
         session_id + "&ws_qiangzhisafe=0";
}

std::string QuestionPage(const QuestionPageInput& in) {
  const Json& answers = *in.answers;
  const auto n = static_cast<int64_t>(answers.size());
  int64_t shown = std::min(n, kSsrAnswers);
  bool force_login = false;
  if (in.wall_after >= 0 && in.wall_after < n && in.wall_after <= kSsrAnswers) {
    shown = in.wall_after;
    force_login = true;
  }
  const bool drained = !in.endless && !force_login && n <= kSsrAnswers;
  Json entities = Json::object(), ids = Json::array();
  for (int64_t i = 0; i < shown; ++i) {
    const Json& a = answers[static_cast<size_t>(i)];
    if (!a.is_object() || !a.contains("id")) continue;
    const std::string aid = IdText(a["id"]);
    entities[aid] = PageAnswer(a, in.truncate_first && i == 0);
    ids.push_back({{"type", "question_feed_card"}, {"targetType", "answer"}, {"target", aid},
                   {"cursor", FeedCursor(in.qid, i)}, {"skipCount", false}, {"position", i}});
  }
  const std::string next =
      drained ? "" : FeedsUrl(in.host, in.qid, FeedCursor(in.qid, std::max<int64_t>(0, shown - 1)), 1,
                              kSsrAnswers, in.session_id);
  Json listing = {{"isFetching", false}, {"isDrained", drained}, {"ids", ids}, {"newIds", Json::array()},
                  {"next", next}, {"needForceLogin", force_login}, {"antiSpider", false},
                  {"emptyText", ""}, {"sessionId", in.session_id}};
  Json data = {{"initialState",
                {{"entities", {{"answers", entities},
                               {"questions", {{in.qid, PageQuestion(in.qid, *in.question, n)}}},
                               {"users", Json::object()}}},
                 {"question", {{"answers", {{in.qid, listing}}}}}}},
               {"subAppName", "main"}};
  const std::string title = TitleOf(*in.question);
  const std::string head = "<meta itemprop=\"name\" content=\"" + HtmlEscape(title) + "\">"
                           "<meta itemprop=\"answerCount\" content=\"" + std::to_string(n) + "\">";
  const std::string body =
      "<div id=\"root\"><main class=\"QuestionPage\"><div class=\"QuestionHeader\">"
      "<h1 class=\"QuestionHeader-title\">" + HtmlEscape(title) + "</h1></div>"
      "<div id=\"js-answerList\" class=\"List\" data-qid=\"" + HtmlEscape(in.qid) + "\"></div>"
      "<div id=\"js-listEnd\" class=\"List-end\" data-state=\"more\"></div></main></div>";
  return Shell(title + " - 知乎", head, body, data, in.never_load);
}

std::string AnswerPage(const std::string& qid, const Json& question, const Json& answer, bool never_load) {
  const std::string aid = IdText(answer["id"]);
  Json data = {{"initialState",
                {{"entities", {{"answers", {{aid, PageAnswer(answer, false)}}},
                               {"questions", {{qid, PageQuestion(qid, question, 0)}}},
                               {"users", Json::object()}}}}},
               {"subAppName", "main"}};
  const std::string title = TitleOf(question);
  const std::string body =
      "<div id=\"root\"><main class=\"QuestionPage\"><div class=\"QuestionHeader\">"
      "<h1 class=\"QuestionHeader-title\">" + HtmlEscape(title) + "</h1></div>"
      "<div id=\"js-answerList\" class=\"List\"></div>"
      "<div id=\"js-listEnd\" class=\"List-end\" data-state=\"more\"></div></main></div>";
  return Shell(title + " - 知乎", "", body, data, never_load);
}

std::string HotPage(const Json& hot_list) {
  Json data = {{"initialState", {{"topstory", {{"hotList", hot_list}}}}}, {"subAppName", "main"}};
  const std::string body =
      "<div id=\"root\"><main class=\"HotList\"><div id=\"js-hotList\" class=\"HotList-list\"></div>"
      "<div id=\"js-listEnd\" class=\"List-end\" data-state=\"more\"></div></main></div>";
  return Shell("首页 - 知乎", "", body, data, false);
}

std::string NotFoundPage() {
  return "<!doctype html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>404 - 知乎</title>"
         "</head><body><div class=\"ErrorPage\"><h1 class=\"ErrorPage-title\">404</h1>"
         "<p class=\"ErrorPage-subtitle\">你似乎来到了没有知识存在的荒原</p>"
         "<a href=\"/\">去往首页</a></div></body></html>\n";
}

std::string SigninPage(const std::string& next) {
  return "<!doctype html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>知乎 - 有问题，就会有答案"
         "</title></head><body><div class=\"SignContainer\"><h1>登录知乎</h1>"
         "<form class=\"SignFlow\" method=\"post\" action=\"/signin?next=" + HtmlEscape(next) + "\">"
         "<input name=\"username\" placeholder=\"手机号或邮箱\"><input name=\"password\" type=\"password\">"
         "<button type=\"submit\" class=\"SignFlow-submitButton\">登录</button></form></div></body></html>\n";
}

std::string ErrorPage(int status, const std::string& message) {
  return "<!doctype html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>" +
         std::to_string(status) + " - 知乎</title></head><body><div class=\"ErrorPage\">"
         "<h1 class=\"ErrorPage-title\">" + std::to_string(status) + "</h1><p class=\"ErrorPage-subtitle\">" +
         HtmlEscape(message) + "</p></div></body></html>\n";
}

}  // namespace mock_zhihu
