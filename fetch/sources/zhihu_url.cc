#include "fetch/sources/zhihu_url.h"

#include <charconv>
#include <string>

namespace archivist::fetch {
namespace {

Status Bad(std::string_view text, std::string_view why) {
  return Status::InvalidArgument("'" + std::string(text) +
                                 "' is not a Zhihu question URL or id: " + std::string(why));
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::optional<uint64_t> ParseDecimalU64(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

Result<model::QuestionId> ParseQuestionRef(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  if (s.empty()) return Bad(text, "it is empty");
  if (s.find_first_not_of("0123456789") == std::string_view::npos) {
    auto id = ParseDecimalU64(s);
    if (!id) return Bad(text, "the id does not fit in 64 bits");
    if (*id == 0) return Bad(text, "the id is 0");
    return *id;
  }
  if (const size_t scheme = s.find("://"); scheme != std::string_view::npos) {
    const std::string_view name = s.substr(0, scheme);
    if (!IEquals(name, "https") && !IEquals(name, "http")) return Bad(text, "the scheme is not http(s)");
    s.remove_prefix(scheme + 3);
  }
  const size_t cut = s.find_first_of("?#");
  if (cut != std::string_view::npos) s = s.substr(0, cut);
  const size_t slash = s.find('/');
  const std::string_view host = s.substr(0, slash);
  if (!IEquals(host, "www.zhihu.com") && !IEquals(host, "zhihu.com")) {
    return Bad(text, "the host is not zhihu.com");
  }
  std::string_view path = slash == std::string_view::npos ? "" : s.substr(slash);
  constexpr std::string_view kPrefix = "/question/";
  if (!path.starts_with(kPrefix)) return Bad(text, "the path is not /question/<id>");
  path.remove_prefix(kPrefix.size());
  const size_t end = path.find('/');
  const std::string_view digits = path.substr(0, end);
  std::string_view rest = end == std::string_view::npos ? "" : path.substr(end);
  auto id = ParseDecimalU64(digits);
  if (!id) return Bad(text, "the question id '" + std::string(digits) + "' is not a 64-bit number");
  if (*id == 0) return Bad(text, "the id is 0");
  while (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.empty()) return *id;
  constexpr std::string_view kAnswer = "/answer/";
  if (rest.starts_with(kAnswer) && ParseDecimalU64(rest.substr(kAnswer.size()))) return *id;
  return Bad(text, "unexpected path after the question id: '" + std::string(rest) + "'");
}

}  // namespace archivist::fetch
