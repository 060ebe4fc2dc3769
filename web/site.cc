#include "web/site.h"

#include <algorithm>

#include <charconv>
#include <optional>

#include "web/feeds.h"

namespace archivist::web {
namespace {

// A decimal id of 1..19 digits.
std::optional<uint64_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v == 0) return std::nullopt;
  return v;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string Param(const Request& r, const std::string& name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? std::string() : it->second.substr(0, 200);
}

bool HostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-';
}

Reply Atom(Result<std::string> feed) {
  if (!feed.ok()) return StatusPage(feed.status());
  Reply reply;
  reply.content_type = "application/atom+xml; charset=utf-8";
  reply.body = std::move(*feed);
  return reply;
}

}  // namespace

std::string BaseUrl(std::string_view host, std::string_view fallback) {
  bool ok = !host.empty() && host.size() <= 260;
  size_t i = 0;
  if (ok && host[0] == '[') {
    const size_t close = host.find(']');
    ok = close != std::string_view::npos && close > 1;
    for (size_t k = 1; ok && k < close; ++k) {
      const char c = host[k];
      ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
    }
    i = ok ? close + 1 : 0;
  } else {
    while (i < host.size() && HostChar(host[i])) ++i;
    ok = ok && i > 0;
  }
  if (ok && i < host.size()) {
    const std::string_view port = host.substr(i + 1);
    ok = host[i] == ':' && !port.empty() && port.size() <= 5 &&
         port.find_first_not_of("0123456789") == std::string_view::npos;
  }
  return "http://" + std::string(ok ? host : fallback);
}

Site::Site(store::Store& store, SiteOptions options)
    : store_(store), options_(std::move(options)) {
  if (options_.clock == nullptr) options_.clock = &real_clock_;
}

void Site::SetFallbackHost(std::string host) {
  std::lock_guard<std::mutex> lock(mu_);
  options_.fallback_host = std::move(host);
}

Reply Site::Handle(const Request& request) {
  std::lock_guard<std::mutex> lock(mu_);
  Reply reply = Route(request);
  Headers security = SecurityHeaders();
  reply.headers.insert(reply.headers.end(), security.begin(), security.end());
  return reply;
}

Reply Site::RouteAnswer(const Request& r) {
  std::string_view rest = std::string_view(r.path).substr(8);
  const bool diff = rest.size() > 5 && rest.substr(rest.size() - 5) == "/diff";
  if (diff) rest.remove_suffix(5);
  const auto id = ParseId(rest);
  if (!id) return ErrorPage(404, "no such page: " + r.path);
  store::AnswerKey key{std::string(store::kZhihu), *id, 0};
  const std::string question = Param(r, "question");
  if (!question.empty()) {
    const auto q = ParseId(question);
    if (!q) return ErrorPage(400, "question: not a question id: " + question);
    key.question = *q;
  }
  if (!diff) return AnswerPage(store_, key);
  int numbers[2] = {0, 0};
  const char* names[2] = {"from", "to"};
  for (int k = 0; k < 2; ++k) {
    const std::string text = Param(r, names[k]);
    if (text.empty()) continue;
    const auto n = ParseId(text);
    if (!n || *n > 1'000'000'000) {
      return ErrorPage(400, std::string(names[k]) + ": not a revision number: " + text);
    }
    numbers[k] = static_cast<int>(*n);
  }
  return DiffPage(store_, key, numbers[0], numbers[1], options_.segment);
}

Reply Site::Route(const Request& r) {
  const std::string_view path = r.path;
  const Timestamp now = options_.clock->WallNow();
  auto time_param = [&](const std::string& name) -> std::optional<Result<Timestamp>> {
    const std::string text = Param(r, name);
    if (text.empty()) return std::nullopt;
    return ParseTimeSpec(text, now, Zone::kUtc);
  };
  if (path == "/") {
    const std::string page = Param(r, "page");
    const auto n = page.empty() ? std::optional<uint64_t>(1) : ParseId(page);
    if (!n || *n == 0) return ErrorPage(400, "page: not a page number: " + page);
    return IndexPage(store_, static_cast<size_t>(std::min<uint64_t>(*n, 1'000'000'000)));
  }
  if (StartsWith(path, "/question/")) {
    const auto id = ParseId(path.substr(10));
    if (!id) return ErrorPage(404, "no such page: " + r.path);
    const auto at = time_param("at");
    if (at && !at->ok()) return ErrorPage(400, "at: " + at->status().message());
    return QuestionPage(store_, {std::string(store::kZhihu), *id}, at ? **at : now, at.has_value());
  }
  if (StartsWith(path, "/answer/")) return RouteAnswer(r);
  if (path == "/changes") {
    const auto since = time_param("since");
    if (since && !since->ok()) return ErrorPage(400, "since: " + since->status().message());
    return ChangesPage(store_, since ? **since : Timestamp(), Param(r, "since"),
                       options_.feed_entries);
  }
  const std::string base = BaseUrl(r.host, options_.fallback_host);
  if (StartsWith(path, "/media/")) return MediaReply(store_, path.substr(7));
  if (path == "/feeds/all.atom") return Atom(ArchiveFeed(store_, base, options_.feed_entries));
  if (StartsWith(path, "/feeds/") && path.size() > 12 && path.substr(path.size() - 5) == ".atom") {
    const auto id = ParseId(path.substr(7, path.size() - 12));
    if (!id) return ErrorPage(404, "no such page: " + r.path);
    return Atom(ThreadFeed(store_, {std::string(store::kZhihu), *id}, base, options_.feed_entries));
  }
  return ErrorPage(404, "no such page: " + r.path);
}

}  // namespace archivist::web
