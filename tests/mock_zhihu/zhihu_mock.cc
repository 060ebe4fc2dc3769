// The mock's routes. A request is routed (route name, question/answer id, listing page),
// logged, checked for its signature (web mode, listings only: an unsigned request consumes no
// fault), the fault book is asked for a fault, and the fault either replaces the reply (status,
// reset, captcha, huge, bad_json), alters the listing or page (force_login, truncate_content,
// loop, loop_forward, foreign_card, login_wall, endless, never_load) or post-processes the
// normal reply (delay, cut, truncated_json, gzip).
#include "tests/mock_zhihu/zhihu_mock.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>

#include "tests/mock_zhihu/replies.h"
#include "tests/mock_zhihu/web_pages.h"
#include "tests/mock_zhihu/web_sign.h"

namespace mock_zhihu {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

bool IsPage(const std::string& route) {
  return route == "question_page" || route == "answer_page" || route == "hot_page";
}

std::string Gzip(const std::string& in) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// `target` with its offset and limit parameters replaced.
std::string WithPage(const Request& req, int64_t offset, int64_t limit) {
  std::string path = req.Path(), query;
  const size_t q = req.target.find('?');
  std::string_view rest = q == std::string::npos ? "" : std::string_view(req.target).substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    if (!pair.starts_with("offset=") && !pair.starts_with("limit=") && !pair.empty()) {
      query += std::string(pair) + "&";
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  query += "limit=" + std::to_string(limit) + "&offset=" + std::to_string(offset);
  const std::string host = req.Header("host").empty() ? "127.0.0.1" : req.Header("host");
  return "http://" + host + path + "?" + query;
}

}  // namespace

ZhihuMock::ZhihuMock(MockOptions options)
    : options_(std::move(options)),
      faults_(options_.faults_file),
      key_(RandomHex(32)),
      signatures_(options_.signatures),
      sessions_(0) {}

RequestInfo ZhihuMock::Route(const Request& req) const {
  RequestInfo info;
  info.route = "other";
  const std::string path = req.Path();
  std::vector<std::string> parts;
  for (size_t i = 1; i <= path.size();) {
    const size_t j = path.find('/', i);
    parts.push_back(path.substr(i, j == std::string::npos ? std::string::npos : j - i));
    if (j == std::string::npos) break;
    i = j + 1;
  }
  if (!parts.empty() && parts.back().empty()) parts.pop_back();
  if (parts.size() >= 4 && parts[0] == "api" && parts[1] == "v4" && parts[2] == "questions") {
    info.qid = parts[3];
    if (parts.size() == 4) info.route = "question";
    else if (parts.size() == 5 && (parts[4] == "feeds" || parts[4] == "answers")) info.route = parts[4];
  } else if (parts.size() == 4 && parts[0] == "api" && parts[1] == "v4" && parts[2] == "answers") {
    info.route = "answer";
    info.aid = parts[3];
  } else if (path == "/api/v3/feed/topstory/hot-lists/total") {
    info.route = "hot";
  } else if (options_.web) {
    RouteWeb(parts, &info);
  }
  const int64_t offset = std::max<int64_t>(0, IntOr(req.Query("offset"), 0));
  if (options_.web && info.route == "feeds") {
    info.page = static_cast<int>(std::min<int64_t>(offset, 1 << 30) + 1);  // paging.page
  } else if (info.route == "feeds" || info.route == "answers") {
    const int64_t limit = options_.page_size > 0 ? options_.page_size
                                                 : std::max<int64_t>(1, IntOr(req.Query("limit"), 20));
    info.page = static_cast<int>(offset / limit + 1);
  }
  return info;
}

void ZhihuMock::RouteWeb(const std::vector<std::string>& parts, RequestInfo* info) const {
  if (parts.size() == 2 && parts[0] == "question") {
    info->route = "question_page";
    info->qid = parts[1];
  } else if (parts.size() == 4 && parts[0] == "question" && parts[2] == "answer") {
    info->route = "answer_page";
    info->qid = parts[1];
    info->aid = parts[3];
  } else if (parts.size() == 2 && parts[0] == "answer") {
    info->route = "answer_page";
    info->aid = parts[1];
  } else if (parts.size() == 1 && parts[0] == "hot") {
    info->route = "hot_page";
  } else if (parts.size() == 1 && parts[0] == "signin") {
    info->route = "signin";
  } else if (parts.size() == 2 && parts[0] == "static") {
    info->route = "static";
  }
}

std::string ZhihuMock::QuestionDir(const std::string& qid) const {
  if (qid.empty() || qid.find_first_not_of("0123456789") != std::string::npos) return "";
  for (const std::string& root : options_.roots) {
    const fs::path dir = fs::path(root) / qid;
    std::error_code ec;
    if (fs::is_regular_file(dir / "question.json", ec)) return dir.string();
  }
  return "";
}

std::shared_ptr<const Json> ZhihuMock::LoadAnswers(const std::string& dir) {
  bool ok = false;
  const std::string path = dir + "/answers.json";
  std::string text = ReadFile(path, &ok);
  if (!ok) return nullptr;
  const size_t hash = std::hash<std::string>{}(text);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(path);
    if (it != cache_.end() && it->second.first == hash) return it->second.second;
  }
  auto parsed = std::make_shared<Json>(Json::parse(text, nullptr, false));
  if (parsed->is_discarded() || !parsed->is_array()) return nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  for (const Json& a : *parsed) {
    if (a.is_object() && a.contains("id")) {
      answer_dirs_[a["id"].is_string() ? a["id"].get<std::string>() : a["id"].dump()] = dir;
    }
  }
  cache_[path] = {hash, parsed};
  return parsed;
}

int64_t ZhihuMock::Log(const Request& req, const RequestInfo& info) {
  Json headers = Json::object(), query = Json::object(), cookies = Json::object();
  for (const auto& [n, v] : req.headers) headers[n] = v;
  for (const auto& [n, v] : ParseCookies(req.Header("cookie"))) cookies[n] = v;
  if (const size_t q = req.target.find('?'); q != std::string::npos) {
    std::string_view rest = std::string_view(req.target).substr(q + 1);
    while (!rest.empty()) {
      const size_t amp = rest.find('&');
      const std::string_view pair = rest.substr(0, amp);
      const size_t eq = pair.find('=');
      if (!pair.empty()) {
        query[std::string(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
      }
      if (amp == std::string_view::npos) break;
      rest.remove_prefix(amp + 1);
    }
  }
  Json entry = {{"method", req.method}, {"target", req.target}, {"path", req.Path()},
                {"query", query}, {"headers", headers}, {"cookies", cookies},
                {"signed", !req.Header("x-zse-96").empty()}, {"signature_valid", SignatureValid(req)},
                {"route", info.route}, {"status", 0}};
  std::lock_guard<std::mutex> lock(mu_);
  log_.push_back(std::move(entry));
  if (log_.size() > 10000) {
    log_.pop_front();
    ++log_base_;
  }
  return log_base_ + static_cast<int64_t>(log_.size()) - 1;
}

void ZhihuMock::LogStatus(int64_t seq, int status) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t i = seq - log_base_;
  if (i >= 0 && i < static_cast<int64_t>(log_.size())) log_[static_cast<size_t>(i)]["status"] = status;
}

Reply ZhihuMock::Control(const Request& req) {
  const std::string path = req.Path();
  if (path == "/_mock/requests") {
    std::lock_guard<std::mutex> lock(mu_);
    if (req.method == "DELETE") {
      log_base_ += static_cast<int64_t>(log_.size());
      log_.clear();
    }
    return JsonReply(200, Dump(Json(log_)));
  }
  if (path == "/_mock/faults") {
    if (req.method == "PUT" || req.method == "POST") {
      std::string error;
      auto faults = ParseFaults(req.body, &error);
      if (!faults) return ErrorReply(400, "", "faults: " + error);
      faults_.Set(std::move(*faults));
    } else if (req.method == "DELETE") {
      faults_.Set({});
    }
    Reply r;
    r.body = faults_.Describe();
    r.headers.emplace_back("Content-Type", "text/plain");
    return r;
  }
  if (path == "/_mock/signatures") {
    if (req.method == "PUT" || req.method == "POST") {
      std::string body = req.body;
      while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) body.pop_back();
      if (body != "on" && body != "off") return ErrorReply(400, "", "signatures: the body must be on or off");
      signatures_ = body == "on";
    }
    Reply r;
    r.body = signatures_ ? "on\n" : "off\n";
    r.headers.emplace_back("Content-Type", "text/plain");
    return r;
  }
  return ErrorReply(404, "", "unknown control endpoint " + path);
}

Reply ZhihuMock::Handle(const Request& req) {
  if (req.Path().starts_with("/_mock/")) return Control(req);
  const RequestInfo info = Route(req);
  const int64_t seq = options_.log_requests ? Log(req, info) : -1;
  Reply r = Dispatch(req, info);
  if (seq >= 0) LogStatus(seq, r.status);
  return r;
}

// A fault that replaces the reply, or nullopt when the fault alters or delays the normal one.
std::optional<Reply> ZhihuMock::FaultReply(const Request& req, const RequestInfo& info, const Fault& fault) {
  const std::string& action = fault.action;
  if (action == "status") {
    const int status = static_cast<int>(IntOr(fault.Arg("status"), 500));
    Reply r = !IsPage(info.route) ? WebError(req, status, fault.Arg("code"), fault.Arg("message"))
              : status == 404     ? HtmlReply(404, NotFoundPage())
                                  : HtmlReply(status, ErrorPage(status, fault.Arg("message", DefaultMessage(fault.Arg("code"), status))));
    if (!fault.Arg("retry_after").empty()) r.headers.emplace_back("Retry-After", fault.Arg("retry_after"));
    return r;
  }
  if (action == "reset") {
    Reply r;
    r.misbehave = Reply::Misbehave::kReset;
    return r;
  }
  if (action == "captcha") {
    return Redirect(IsPage(info.route) ? "/account/unhuman?type=unhuman&need_login=true"
                                       : "/account/unhuman?type=unhuman&message=abnormal&need_login=false");
  }
  if (action == "huge") {
    Reply r = JsonReply(200, "");
    r.misbehave = Reply::Misbehave::kHuge;
    r.huge_bytes = static_cast<uint64_t>(IntOr(fault.Arg("bytes"), 64 << 20));
    return r;
  }
  if (action == "bad_json") return JsonReply(200, "{\"data\": [ {\"id\": , ]] <html>");
  return std::nullopt;
}

Reply ZhihuMock::Dispatch(const Request& req, const RequestInfo& info) {
  if (req.Path() == "/account/unhuman") {
    return HtmlReply(200, "<html><body>captcha: 请输入验证码</body></html>");
  }
  const bool listing = info.route == "feeds" || info.route == "answers";
  if (options_.web && listing && signatures_ && !SignatureValid(req)) {
    return JsonReply(403, Dump(Json{{"error", {{"code", 10003}, {"message", DefaultMessage("10003", 403)}}}}));
  }
  const std::optional<Fault> fault = faults_.Take(info);
  if (fault) {
    if (std::optional<Reply> replaced = FaultReply(req, info, *fault)) return std::move(*replaced);
  }
  const std::string action = fault ? fault->action : "";
  Reply r;
  if (info.route == "question") r = Question(info);
  else if (options_.web && info.route == "feeds") r = WebFeeds(req, info, fault);
  else if (listing) r = Listing(req, info, fault);
  else if (info.route == "answer") r = Answer(info);
  else if (info.route == "hot") r = Hot(req);
  else if (options_.web && info.route != "other") r = WebRoute(req, info, fault);
  else r = ErrorReply(404, "", "no such route: " + req.Path());
  if (action == "delay") r.delay_ms = static_cast<int>(IntOr(fault->Arg("ms"), 1000));
  if (action == "cut") r.misbehave = Reply::Misbehave::kCutBody;
  if (action == "truncated_json") r.body.resize(r.body.size() / 2);
  if (action == "gzip") {
    r.body = Gzip(r.body);
    r.headers.emplace_back("Content-Encoding", "gzip");
  }
  return r;
}

Reply ZhihuMock::Question(const RequestInfo& info) {
  const std::string dir = QuestionDir(info.qid);
  if (dir.empty()) return ErrorReply(404, "", "问题不存在或已被删除");
  bool ok = false;
  std::string text = ReadFile(dir + "/question.json", &ok);
  if (!ok) return ErrorReply(404, "", "问题不存在或已被删除");
  return JsonReply(200, std::move(text));
}

Reply ZhihuMock::Listing(const Request& req, const RequestInfo& info, const std::optional<Fault>& fault) {
  const std::string dir = QuestionDir(info.qid);
  if (dir.empty()) return ErrorReply(404, "", "问题不存在或已被删除");
  auto answers = LoadAnswers(dir);
  if (!answers) return ErrorReply(500, "", "mock: cannot read " + dir + "/answers.json");
  const std::string action = fault ? fault->action : "";
  const int64_t limit = options_.page_size > 0 ? options_.page_size
                                               : std::max<int64_t>(1, IntOr(req.Query("limit"), 20));
  const int64_t offset = std::max<int64_t>(0, IntOr(req.Query("offset"), 0));
  const int64_t n = static_cast<int64_t>(answers->size());
  const bool feeds = info.route == "feeds";
  Json data = Json::array();
  if (feeds && action == "foreign_card") {
    data.push_back({{"type", "question_feed_card"}, {"target_type", "zvideo"},
                    {"target", {{"id", "1"}, {"type", "zvideo"}}}});
  }
  for (int64_t i = offset; i < std::min(n, offset + limit); ++i) {
    Json a = (*answers)[static_cast<size_t>(i)];
    if (action == "truncate_content" && i == offset) {
      a["content_need_truncated"] = true;
      a["content"] = "<p>登录后查看全文</p>";
    }
    if (feeds) {
      data.push_back({{"type", "question_feed_card"}, {"target_type", "answer"}, {"target", std::move(a)},
                      {"cursor", std::to_string(i)}, {"position", i}});
    } else {
      data.push_back(std::move(a));
    }
  }
  bool is_end = offset + limit >= n;
  std::string next = WithPage(req, offset + limit, limit);
  if (action == "loop") {
    is_end = false;
    next = WithPage(req, offset, limit);
  } else if (action == "loop_forward") {
    is_end = false;
  }
  Json paging = {{"is_end", is_end}, {"is_start", offset == 0}, {"next", next},
                 {"previous", WithPage(req, std::max<int64_t>(0, offset - limit), limit)}};
  if (!feeds) paging["totals"] = n;
  Json body = {{"data", std::move(data)}, {"paging", std::move(paging)}};
  if (action == "force_login") body["need_force_login"] = true;
  return JsonReply(200, Dump(body));
}

std::optional<std::pair<std::string, nlohmann::json>> ZhihuMock::FindAnswer(const std::string& aid) {
  std::vector<std::string> dirs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = answer_dirs_.find(aid); it != answer_dirs_.end()) dirs.push_back(it->second);
  }
  for (int pass = 0; pass < 2; ++pass) {
    for (const std::string& dir : dirs) {
      auto answers = LoadAnswers(dir);
      if (!answers) continue;
      for (const Json& a : *answers) {
        auto id = a.is_object() ? a.find("id") : a.end();
        if (id != a.end() && IdText(*id) == aid) return std::make_pair(dir, a);
      }
    }
    if (pass == 1) break;
    dirs.clear();  // the hint was stale or missing: scan everything
    for (const std::string& root : options_.roots) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(root, ec)) dirs.push_back(e.path().string());
    }
  }
  return std::nullopt;
}

Reply ZhihuMock::Answer(const RequestInfo& info) {
  if (auto found = FindAnswer(info.aid)) return JsonReply(200, Dump(found->second));
  return ErrorReply(404, "4041", "");
}

std::vector<std::pair<std::string, nlohmann::json>> ZhihuMock::HotQuestions(int64_t limit) const {
  std::vector<std::string> qids;
  for (const std::string& root : options_.roots) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root, ec)) qids.push_back(e.path().filename().string());
  }
  std::sort(qids.begin(), qids.end());
  std::vector<std::pair<std::string, Json>> out;
  for (const std::string& qid : qids) {
    if (static_cast<int64_t>(out.size()) >= limit) break;
    bool ok = false;
    const std::string dir = QuestionDir(qid);
    if (dir.empty()) continue;
    Json q = Json::parse(ReadFile(dir + "/question.json", &ok), nullptr, false);
    if (ok && q.is_object()) out.emplace_back(qid, std::move(q));
  }
  return out;
}

Reply ZhihuMock::Hot(const Request& req) {
  const int64_t limit = std::max<int64_t>(1, IntOr(req.Query("limit"), 50));
  Json data = Json::array();
  for (const auto& [qid, q] : HotQuestions(limit)) {
    const auto id = static_cast<uint64_t>(IntOr(qid, 0));
    const int64_t heat = q.value("answer_count", int64_t{0}) * 7 + 13;
    data.push_back({{"type", "hot_list_feed"}, {"card_id", "Q_" + qid},
                    {"target", {{"id", id}, {"title", q.value("title", "")}, {"type", "question"},
                                {"url", "https://api.zhihu.com/questions/" + qid}}},
                    {"detail_text", std::to_string(heat) + " 万热度"}});
  }
  return JsonReply(200, Dump(Json{{"data", data}, {"paging", {{"is_end", true}}}}));
}

}  // namespace mock_zhihu
