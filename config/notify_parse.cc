// Parsing [[notify]]: each table is read key by key, every problem reported with its
// position, and only a table without problems is kept (a hook half-configured is never run).
#include "config/notify_parse.h"

namespace archivist::config {
namespace {

struct Where {
  int line, column;
};

Where At(const toml::source_region& r) {
  return {static_cast<int>(r.begin.line), static_cast<int>(r.begin.column)};
}

bool HasControl(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

// One table; false when it had a problem.
bool ParseOne(const toml::table& t, NotifyConfig* n, const ErrorAt& error) {
  bool ok = true;
  const auto fail = [&](Where w, std::string message) {
    error(w.line, w.column, std::move(message));
    ok = false;
  };
  for (auto&& [key, value] : t) {
    const std::string k(key.str());
    const Where w = At(value.source());
    if (k != "exec" && k != "url" && k != "timeout") {
      fail(At(key.source()), "unknown key notify." + k + " (known: exec, url, timeout)");
      continue;
    }
    auto text = value.value_exact<std::string>();
    if (!text) {
      fail(w, "notify." + k + " must be a string");
      continue;
    }
    if (k == "exec") {
      n->exec = *text;
      if (n->exec.empty() || n->exec.find('\0') != std::string::npos) {
        fail(w, "notify.exec must be a non-empty command for /bin/sh");
      }
    } else if (k == "url") {
      n->url = *text;
      if ((n->url.rfind("http://", 0) != 0 && n->url.rfind("https://", 0) != 0) ||
          HasControl(n->url) || n->url.find(' ') != std::string::npos) {
        fail(w, "notify.url \"" + n->url + "\" must be an http:// or https:// URL");
      }
    } else {
      Result<Duration> d = ParseDuration(*text);
      const Limit* limit = FindLimit("notify.timeout");
      if (!d.ok()) {
        fail(w, "notify.timeout: " + d.status().message());
      } else if (limit && (d->count() < limit->min || d->count() > limit->max)) {
        fail(w, OutOfRange(*limit, "notify.timeout", *text));
      } else {
        n->timeout = *d;
      }
    }
  }
  return ok;
}

}  // namespace

void ParseNotify(const toml::node& node, std::vector<NotifyConfig>* out, const ErrorAt& error) {
  const toml::array* array = node.as_array();
  if (!array) {
    const Where w = At(node.source());
    return error(w.line, w.column, "notify must be an array of tables ([[notify]])");
  }
  for (const toml::node& item : *array) {
    const Where w = At(item.source());
    const toml::table* t = item.as_table();
    if (!t) {
      error(w.line, w.column, "notify must be an array of tables ([[notify]])");
      continue;
    }
    NotifyConfig n;
    n.line = w.line;
    if (!ParseOne(*t, &n, error)) continue;
    if (n.exec.empty() == n.url.empty()) {
      error(w.line, w.column, "[[notify]] needs exactly one of exec = \"COMMAND\" and "
                              "url = \"http://…\"");
      continue;
    }
    out->push_back(std::move(n));
  }
}

}  // namespace archivist::config
