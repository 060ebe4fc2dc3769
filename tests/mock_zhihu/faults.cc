#include "tests/mock_zhihu/faults.h"

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

namespace mock_zhihu {
namespace {

const std::set<std::string> kActions = {
    "status", "delay", "cut", "reset", "bad_json", "truncated_json", "force_login",
    "truncate_content", "captcha", "loop", "loop_forward", "huge", "gzip", "foreign_card",
    "login_wall", "endless", "never_load"};
const std::set<std::string> kRoutes = {"any", "question", "feeds", "answers", "answer", "hot",
                                       "question_page", "answer_page", "hot_page", "static"};

// Splits a line into words; "double quoted" words may hold spaces.
std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false, any = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (!quoted && (c == ' ' || c == '\t')) {
      if (any) out.push_back(cur);
      cur.clear();
      any = false;
    } else {
      cur += c;
      any = true;
    }
  }
  if (any) out.push_back(cur);
  return out;
}

}  // namespace

bool Fault::Matches(const RequestInfo& r) const {
  if (route != "any" && route != r.route) return false;
  if (!qid.empty() && qid != r.qid) return false;
  if (!aid.empty() && aid != r.aid) return false;
  if (page > 0 && r.page != page) return false;
  if (from_page > 0 && r.page < from_page) return false;
  return times != 0;
}

std::string Fault::Arg(const std::string& key, const std::string& fallback) const {
  auto it = args.find(key);
  return it == args.end() ? fallback : it->second;
}

std::optional<std::vector<Fault>> ParseFaults(const std::string& text, std::string* error) {
  std::vector<Fault> out;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (const size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::vector<std::string> words = Words(line);
    if (words.empty()) continue;
    Fault f;
    auto fail = [&](const std::string& why) {
      *error = "line " + std::to_string(n) + ": " + why;
      return std::nullopt;
    };
    for (const std::string& w : words) {
      const size_t eq = w.find('=');
      if (eq == std::string::npos) return fail("'" + w + "' is not key=value");
      const std::string key = w.substr(0, eq), value = w.substr(eq + 1);
      int64_t number = 0;
      const bool numeric = key == "page" || key == "from_page" || key == "times";
      if (numeric) {
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (ec != std::errc() || p != value.data() + value.size() || number < 0) {
          return fail("'" + value + "' is not a number for " + key);
        }
      }
      if (key == "route") f.route = value;
      else if (key == "qid") f.qid = value;
      else if (key == "aid") f.aid = value;
      else if (key == "page") f.page = static_cast<int>(number);
      else if (key == "from_page") f.from_page = static_cast<int>(number);
      else if (key == "times") f.times = number;
      else if (key == "action") f.action = value;
      else f.args[key] = value;
    }
    if (!kRoutes.count(f.route)) return fail("unknown route '" + f.route + "'");
    if (!kActions.count(f.action)) return fail("unknown or missing action '" + f.action + "'");
    if (f.action == "status" && f.Arg("status").empty()) return fail("action=status needs status=");
    if (f.action == "login_wall") {
      const std::string n = f.Arg("answers");
      if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos || n.size() > 9) {
        return fail("action=login_wall needs answers=N (a count)");
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::optional<Fault> FaultBook::TakeFrom(std::vector<Fault>& list, const RequestInfo& r) {
  for (Fault& f : list) {
    if (!f.Matches(r)) continue;
    if (f.times > 0) --f.times;
    return f;
  }
  return std::nullopt;
}

std::optional<Fault> FaultBook::Take(const RequestInfo& r) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto f = TakeFrom(memory_, r)) return f;
  if (file_.empty()) return std::nullopt;
  std::ifstream in(file_);
  std::string text;
  if (in) text.assign(std::istreambuf_iterator<char>(in), {});
  if (text != file_text_) {
    std::string error;
    auto parsed = ParseFaults(text, &error);
    if (!parsed) std::fprintf(stderr, "mock_zhihu: faults file %s: %s\n", file_.c_str(), error.c_str());
    file_faults_ = parsed ? std::move(*parsed) : std::vector<Fault>{};
    file_text_ = text;
  }
  return TakeFrom(file_faults_, r);
}

void FaultBook::Set(std::vector<Fault> faults) {
  std::lock_guard<std::mutex> lock(mu_);
  memory_ = std::move(faults);
}

std::string FaultBook::Describe() {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (const auto* list : {&memory_, &file_faults_}) {
    for (const Fault& f : *list) {
      out += "route=" + f.route + " action=" + f.action + " times=" + std::to_string(f.times) + "\n";
    }
  }
  return out;
}

}  // namespace mock_zhihu
