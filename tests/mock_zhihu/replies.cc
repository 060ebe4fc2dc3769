#include "tests/mock_zhihu/replies.h"

#include <charconv>
#include <fstream>
#include <iterator>

namespace mock_zhihu {

using Json = nlohmann::json;

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  *ok = static_cast<bool>(in);
  return *ok ? std::string(std::istreambuf_iterator<char>(in), {}) : std::string();
}

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

int64_t IntOr(const std::string& s, int64_t fallback) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : fallback;
}

std::string DefaultMessage(const std::string& code, int status) {
  if (code == "10003") return "请求参数异常，请升级客户端后重试。";
  if (code == "40362") return "您当前请求存在异常，暂时限制本次访问。如有疑问，您可以通过手机摇一摇或登录后私信知乎小管家反馈。";
  if (code == "40352") return "系统监测到您的网络环境存在异常，为保证您的正常访问，请输入验证码进行验证。";
  if (code == "4041") return "该回答已被删除";
  if (code == "100" || status == 401) return "请求需要登录";
  if (status == 429) return "请求过于频繁，请稍后再试";
  if (status == 404) return "资源不存在";
  return "服务器错误 " + std::to_string(status);
}

Reply JsonReply(int status, std::string body) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  return r;
}

Reply ErrorReply(int status, const std::string& code, std::string message) {
  Json err = {{"message", message.empty() ? DefaultMessage(code, status) : message},
              {"name", "MockError"}};
  if (!code.empty()) {
    int64_t n = 0;
    auto [p, ec] = std::from_chars(code.data(), code.data() + code.size(), n);
    if (ec == std::errc() && p == code.data() + code.size()) err["code"] = n;
    else err["code"] = code;
  }
  return JsonReply(status, Dump(Json{{"error", err}}));
}

Reply HtmlReply(int status, std::string body) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Reply Redirect(const std::string& location) {
  Reply r;
  r.status = 302;
  r.headers.emplace_back("Location", location);
  return r;
}

}  // namespace mock_zhihu
