#include "browser/page_state.h"

#include "fetch/sources/zhihu_json.h"
#include "fetch/sources/zhihu_url.h"

namespace archivist::browser {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(s[i]) != prefix[i]) return false;
  }
  return true;
}

size_t FindNoCase(std::string_view s, std::string_view needle, size_t from) {
  for (size_t i = from; i + needle.size() <= s.size(); ++i) {
    if (StartsWithNoCase(s.substr(i), needle)) return i;
  }
  return std::string_view::npos;
}

// The object's own keys in snake_case; `author` (an object) too.
Json Snake(const Json& obj, const Json* users) {
  Json out = Json::object();
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string key = SnakeCase(it.key());
    if (key == "author" && it->is_string() && users != nullptr && users->contains(it->get<std::string>())) {
      out[key] = Snake((*users)[it->get<std::string>()], nullptr);  // a reference into entities.users
    } else if (key == "author" && it->is_object()) {
      out[key] = Snake(*it, nullptr);
    } else {
      out[key] = *it;
    }
  }
  return out;
}

Status Bad(const std::string& field, const std::string& why) {
  return Status::InvalidArgument("page state: '" + field + "' " + why);
}

const Json* Find(const Json& v, std::string_view key) {
  if (!v.is_object()) return nullptr;
  auto it = v.find(key);
  return it == v.end() ? nullptr : &*it;
}

const Json* Path(const Json& v, std::initializer_list<std::string_view> keys) {
  const Json* cur = &v;
  for (std::string_view k : keys) {
    cur = Find(*cur, k);
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

std::string IdKey(const Json& v) {
  auto id = fetch::zhihu::IdFrom(v);
  return id ? std::to_string(*id) : "";
}

}  // namespace

std::optional<std::string_view> FindInitialData(std::string_view html) {
  size_t from = 0;
  while (true) {
    const size_t at = html.find("js-initialData", from);
    if (at == std::string_view::npos) return std::nullopt;
    from = at + 1;
    const size_t open = html.rfind('<', at);
    if (open == std::string_view::npos || !StartsWithNoCase(html.substr(open), "<script")) continue;
    if (html.substr(open, at - open).find('>') != std::string_view::npos) continue;  // not in the tag
    const std::string_view before = html.substr(open, at - open);
    if (!before.ends_with("id=\"") && !before.ends_with("id='") && !before.ends_with("id=")) continue;
    const size_t gt = html.find('>', at);
    if (gt == std::string_view::npos) return std::nullopt;
    const size_t close = FindNoCase(html, "</script", gt + 1);
    if (close == std::string_view::npos) return std::nullopt;
    return html.substr(gt + 1, close - gt - 1);
  }
}

std::string SnakeCase(std::string_view key) {
  std::string out;
  out.reserve(key.size() + 4);
  for (char c : key) {
    if (c >= 'A' && c <= 'Z') {
      if (!out.empty()) out.push_back('_');
      out.push_back(Lower(c));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<QuestionPageState> ReadQuestionPage(const Json& data, model::QuestionId qid) {
  const std::string q = std::to_string(qid);
  const Json* state = Find(data, "initialState");
  if (state == nullptr || !state->is_object()) return Bad("initialState", "is missing");
  const Json* listing = Path(*state, {"question", "answers", q});
  if (listing == nullptr || !listing->is_object()) {
    return Bad("initialState.question.answers[" + q + "]", "is missing");
  }
  const Json* answers = Path(*state, {"entities", "answers"});
  const Json* users = Path(*state, {"entities", "users"});
  QuestionPageState out;
  if (const Json* question = Path(*state, {"entities", "questions", q}); question && question->is_object()) {
    out.question = Snake(*question, users);
  }
  const Json* ids = Find(*listing, "ids");
  if (ids == nullptr || !ids->is_array()) return Bad("question.answers[" + q + "].ids", "is not an array");
  Json cards = Json::array();
  for (size_t i = 0; i < ids->size(); ++i) {
    const Json& card = (*ids)[i];
    if (!card.is_object()) continue;
    Json out_card = {{"type", card.value("type", "question_feed_card")},
                     {"target_type", card.value("targetType", card.value("target_type", ""))}};
    if (out_card["target_type"] == "answer") {
      const std::string aid = card.contains("target") ? IdKey(card["target"]) : "";
      const Json* entity = answers != nullptr && !aid.empty() ? Find(*answers, aid) : nullptr;
      if (entity == nullptr || !entity->is_object()) {
        return Bad("entities.answers", "has no answer '" + aid + "' listed at ids[" + std::to_string(i) + "]");
      }
      out_card["target"] = Snake(*entity, users);
    }
    cards.push_back(std::move(out_card));
  }
  const Json* drained = Find(*listing, "isDrained");
  if (drained == nullptr || !drained->is_boolean()) {
    return Bad("question.answers[" + q + "].isDrained", "is not a boolean");
  }
  Json paging = {{"is_end", *drained}};
  if (const Json* login = Find(*listing, "needForceLogin"); login && login->is_boolean()) {
    out.need_force_login = login->get<bool>();
  }
  if (const Json* next = Find(*listing, "next"); next && next->is_string() && !next->get_ref<const std::string&>().empty()) {
    paging["next"] = *next;
  }
  if (const Json* spider = Find(*listing, "antiSpider"); spider && spider->is_boolean()) {
    out.anti_spider = spider->get<bool>();
  }
  out.listing = {{"data", std::move(cards)}, {"paging", std::move(paging)}};
  return out;
}

bool HasAnswer(const Json& data, model::AnswerId aid) {
  const Json* answers = Path(data, {"initialState", "entities", "answers"});
  const Json* a = answers != nullptr ? Find(*answers, std::to_string(aid)) : nullptr;
  return a != nullptr && a->is_object();
}

Result<std::vector<model::HotItem>> ReadHotList(const Json& data) {
  const Json* list = Path(data, {"initialState", "topstory", "hotList"});
  if (list == nullptr || !list->is_array()) return Bad("initialState.topstory.hotList", "is not an array");
  std::vector<model::HotItem> out;
  for (const Json& card : *list) {
    if (!card.is_object()) continue;
    const Json& target = card.contains("target") && card["target"].is_object() ? card["target"] : Json::object();
    std::optional<uint64_t> qid;
    if (const Json* id = Find(card, "cardId"); id && id->is_string() && id->get_ref<const std::string&>().starts_with("Q_")) {
      qid = fetch::ParseDecimalU64(std::string_view(id->get_ref<const std::string&>()).substr(2));
    }
    if (!qid) {
      if (const Json* url = Path(target, {"link", "url"}); url && url->is_string()) {
        std::string_view u = url->get_ref<const std::string&>();
        const size_t at = u.find("/question/");
        if (at != std::string_view::npos) {
          std::string_view digits = u.substr(at + 10);
          digits = digits.substr(0, digits.find_first_not_of("0123456789"));
          qid = fetch::ParseDecimalU64(digits);
        }
      }
    }
    if (!qid || *qid == 0) continue;
    model::HotItem item;
    item.question_id = *qid;
    if (const Json* t = Path(target, {"titleArea", "text"}); t && t->is_string()) item.title = *t;
    if (const Json* h = Path(target, {"metricsArea", "text"}); h && h->is_string()) item.heat = *h;
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace archivist::browser
