#include "fetch/sources/zhihu_json.h"

#include "base/bounded_text.h"
#include "fetch/sources/zhihu_url.h"

namespace archivist::fetch::zhihu {
namespace {

Status Bad(std::string_view what, std::string_view field, std::string_view why) {
  return Status::InvalidArgument(std::string(what) + " field '" + std::string(field) + "' " +
                                 std::string(why));
}

std::optional<int64_t> IntFrom(const Json& v) {
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    auto u = ParseDecimalU64(v.get_ref<const std::string&>());
    if (u && *u <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(*u);
  }
  return std::nullopt;
}

// An integer field; `required` fields must be present, optional ones default to 0.
Result<int64_t> IntField(const Json& obj, const char* what, const char* name, bool required) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) {
    if (required) return Bad(what, name, "is missing");
    return int64_t{0};
  }
  auto v = IntFrom(*it);
  if (!v) return Bad(what, name, "is not an integer: " + Describe(*it));
  return *v;
}

std::string StringOr(const Json& obj, const char* name, std::string fallback = "") {
  auto it = obj.find(name);
  if (it == obj.end()) return fallback;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer() || it->is_number_unsigned()) return it->dump();
  return fallback;
}

model::Author ParseAuthor(const Json& a) {
  model::Author author;
  author.name = BoundText(StringOr(a, "name"), kMaxNameBytes);
  author.url_token = BoundText(StringOr(a, "url_token"), kMaxNameBytes);
  author.id = BoundText(StringOr(a, "id"), kMaxNameBytes);
  author.anonymous = author.id == "0" || (author.url_token.empty() && author.name == "匿名用户");
  return author;
}

}  // namespace

// Collects only the parser's error message (no DOM, no exceptions).
class ErrorSax : public nlohmann::json_sax<Json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    message = e.what();
    return false;
  }
  std::string message;
};

size_t DepthExceededAt(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

std::string Describe(const Json& v) {
  auto count = [](size_t n, const char* what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
  };
  if (v.is_array()) return "an array of " + count(v.size(), "item");
  if (v.is_object()) return "an object with " + count(v.size(), "key");
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    const std::string quoted =
        Json(BoundText(s, 64)).dump(-1, ' ', false, Json::error_handler_t::replace);
    return s.size() <= 64 ? quoted : "a string of " + count(s.size(), "byte") + ": " + quoted;
  }
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);  // a number, bool or null
}

Result<Json> ParseJson(std::string_view text) {
  if (const size_t at = DepthExceededAt(text); at != std::string_view::npos) {
    return Status::InvalidArgument("body is not usable JSON (" + std::to_string(text.size()) +
                                   " bytes): arrays and objects nest deeper than " +
                                   std::to_string(kMaxJsonDepth) + " levels at byte " +
                                   std::to_string(at));
  }
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded()) return j;
  ErrorSax sax;
  (void)Json::sax_parse(text, &sax, nlohmann::detail::input_format_t::json, /*strict=*/true,
                        /*ignore_comments=*/false);
  return Status::InvalidArgument("body is not valid JSON (" + std::to_string(text.size()) +
                                 " bytes): " +
                                 BoundText(sax.message.empty() ? "unknown error" : sax.message));
}

std::optional<uint64_t> IdFrom(const Json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    if (i < 0) return std::nullopt;
    return static_cast<uint64_t>(i);
  }
  if (v.is_string()) return ParseDecimalU64(v.get_ref<const std::string&>());
  return std::nullopt;
}

std::optional<ErrorBody> ErrorOf(const Json& body) {
  if (!body.is_object()) return std::nullopt;
  auto it = body.find("error");
  if (it == body.end() || !it->is_object()) return std::nullopt;
  ErrorBody e;
  e.code = StringOr(*it, "code");
  e.message = StringOr(*it, "message");
  return e;
}

Result<model::Answer> ParseAnswer(const Json& v) {
  if (!v.is_object()) return Status::InvalidArgument("answer is not a JSON object");
  model::Answer a;
  auto id_it = v.find("id");
  if (id_it == v.end()) return Bad("answer", "id", "is missing");
  auto id = IdFrom(*id_it);
  if (!id || *id == 0) return Bad("answer", "id", "is not a 64-bit id: " + Describe(*id_it));
  a.id = *id;
  const std::string what = "answer " + std::to_string(a.id);
  auto author = v.find("author");
  if (author == v.end() || !author->is_object()) return Bad(what, "author", "is missing");
  a.author = ParseAuthor(*author);
  auto content = v.find("content");
  if (content == v.end() || !content->is_string()) return Bad(what, "content", "is missing");
  a.content_html = content->get<std::string>();
  auto created = IntField(v, what.c_str(), "created_time", true);
  if (!created.ok()) return created.status();
  auto updated = IntField(v, what.c_str(), "updated_time", true);
  if (!updated.ok()) return updated.status();
  auto votes = IntField(v, what.c_str(), "voteup_count", false);
  if (!votes.ok()) return votes.status();
  auto comments = IntField(v, what.c_str(), "comment_count", false);
  if (!comments.ok()) return comments.status();
  a.created_time = *created;
  a.updated_time = *updated;
  a.voteup_count = *votes;
  a.comment_count = *comments;
  return a;
}

Result<model::Question> ParseQuestion(const Json& v) {
  if (!v.is_object()) return Status::InvalidArgument("question is not a JSON object");
  model::Question q;
  auto id_it = v.find("id");
  if (id_it == v.end()) return Bad("question", "id", "is missing");
  auto id = IdFrom(*id_it);
  if (!id || *id == 0) return Bad("question", "id", "is not a 64-bit id: " + Describe(*id_it));
  q.id = *id;
  auto title = v.find("title");
  if (title == v.end() || !title->is_string()) return Bad("question", "title", "is missing");
  q.title = BoundText(title->get_ref<const std::string&>(), kMaxTitleBytes);
  const char* created_key = v.contains("created") ? "created" : "created_time";
  auto created = IntField(v, "question", created_key, false);
  if (!created.ok()) return created.status();
  auto updated = IntField(v, "question", "updated_time", false);
  if (!updated.ok()) return updated.status();
  auto count = IntField(v, "question", "answer_count", false);
  if (!count.ok()) return count.status();
  q.created_time = *created;
  q.updated_time = *updated;
  q.answer_count = *count;
  if (auto it = v.find("show_author"); it != v.end() && it->is_boolean()) q.show_author = it->get<bool>();
  if (auto it = v.find("author"); it != v.end() && it->is_object()) q.author = ParseAuthor(*it);
  return q;
}

}  // namespace archivist::fetch::zhihu
