// Question and answer references. Both parsers share one splitter: trim, bare id, scheme,
// host, path without query and fragment. The host decides first (a column article on
// zhuanlan.zhihu.com is refused as what it is, not as "a foreign host"); the path then says
// which of /question/<q>, /question/<q>/answer/<a> and /answer/<a> it is.
#include "fetch/sources/zhihu_url.h"

#include <charconv>
#include <string>

namespace archivist::fetch {
namespace {

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

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// A reference split into its parts. `id` is set for a bare number; otherwise `path` is the
// URL's path on a Zhihu host (query, fragment and trailing slashes removed).
struct Split {
  std::optional<uint64_t> id;
  std::string_view path;
};

constexpr std::string_view kArticle =
    "it is a Zhihu column article (zhuanlan.zhihu.com/p/…); archivist archives questions and "
    "their answers only";

// `kind` names what was expected ("question", "answer") for the messages.
Result<Split> SplitRef(std::string_view text, std::string_view kind) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("'" + std::string(text) + "' is not a Zhihu " +
                                   std::string(kind) + " URL or id: " + std::string(why));
  };
  std::string_view s = Trim(text);
  if (s.empty()) return bad("it is empty");
  if (s.find_first_not_of("0123456789") == std::string_view::npos) {
    auto id = ParseDecimalU64(s);
    if (!id) return bad("the id does not fit in 64 bits");
    if (*id == 0) return bad("the id is 0");
    return Split{id, {}};
  }
  if (const size_t scheme = s.find("://"); scheme != std::string_view::npos) {
    const std::string_view name = s.substr(0, scheme);
    if (!IEquals(name, "https") && !IEquals(name, "http")) return bad("the scheme is not http(s)");
    s.remove_prefix(scheme + 3);
  }
  const size_t cut = s.find_first_of("?#");
  if (cut != std::string_view::npos) s = s.substr(0, cut);
  const size_t slash = s.find('/');
  const std::string_view host = s.substr(0, slash);
  if (IEquals(host, "zhuanlan.zhihu.com")) return bad(kArticle);
  if (!IEquals(host, "www.zhihu.com") && !IEquals(host, "zhihu.com")) {
    return bad("the host is not zhihu.com");
  }
  std::string_view path = slash == std::string_view::npos ? "" : s.substr(slash);
  while (path.size() > 1 && path.ends_with('/')) path.remove_suffix(1);
  return Split{std::nullopt, path};
}

// Reads "/<prefix><digits>" off the front of `path`; `what` names the id for the message.
Result<uint64_t> TakeId(std::string_view& path, std::string_view prefix, std::string_view what,
                        const std::string& error_head) {
  path.remove_prefix(prefix.size());
  const size_t end = path.find('/');
  const std::string_view digits = path.substr(0, end);
  auto id = ParseDecimalU64(digits);
  if (!id) {
    return Status::InvalidArgument(error_head + "the " + std::string(what) + " id '" +
                                   std::string(digits) + "' is not a 64-bit number");
  }
  if (*id == 0) return Status::InvalidArgument(error_head + "the id is 0");
  path = end == std::string_view::npos ? "" : path.substr(end);
  return *id;
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
  Result<Split> split = SplitRef(text, "question");
  if (!split.ok()) return split.status();
  if (split->id) return *split->id;
  const std::string head = "'" + std::string(text) + "' is not a Zhihu question URL or id: ";
  std::string_view path = split->path;
  constexpr std::string_view kQuestion = "/question/", kAnswer = "/answer/";
  if (path.starts_with(kAnswer)) {
    return Status::InvalidArgument(head + "it names an answer without its question; use the "
                                          "question's URL (…/question/<id>)");
  }
  if (!path.starts_with(kQuestion)) return Status::InvalidArgument(head + "the path is not /question/<id>");
  Result<uint64_t> id = TakeId(path, kQuestion, "question", head);
  if (!id.ok()) return id.status();
  if (path.empty()) return *id;
  if (path.starts_with(kAnswer) && ParseDecimalU64(path.substr(kAnswer.size()))) return *id;
  return Status::InvalidArgument(head + "unexpected path after the question id: '" +
                                 std::string(path) + "'");
}

Result<AnswerRef> ParseAnswerRef(std::string_view text) {
  Result<Split> split = SplitRef(text, "answer");
  if (!split.ok()) return split.status();
  if (split->id) return AnswerRef{*split->id, std::nullopt};
  const std::string head = "'" + std::string(text) + "' is not a Zhihu answer URL or id: ";
  std::string_view path = split->path;
  constexpr std::string_view kQuestion = "/question/", kAnswer = "/answer/";
  AnswerRef ref;
  if (path.starts_with(kQuestion)) {
    Result<uint64_t> q = TakeId(path, kQuestion, "question", head);
    if (!q.ok()) return q.status();
    ref.question = *q;
    if (path.empty()) {
      return Status::InvalidArgument(head + "it is a question URL without an answer "
                                            "(…/question/<id>/answer/<id>)");
    }
  }
  if (!path.starts_with(kAnswer)) {
    return Status::InvalidArgument(head + "the path is not /question/<id>/answer/<id> or "
                                          "/answer/<id>");
  }
  Result<uint64_t> a = TakeId(path, kAnswer, "answer", head);
  if (!a.ok()) return a.status();
  if (!path.empty()) {
    return Status::InvalidArgument(head + "unexpected path after the answer id: '" +
                                   std::string(path) + "'");
  }
  ref.answer = *a;
  return ref;
}

}  // namespace archivist::fetch
