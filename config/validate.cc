// config::Validate: the checks of a whole configuration, shared by the file and the command
// line. Each check is written once against a Config; ParseConfig points its problems at the
// line of the key, the command line names its options.
#include "base/bounded_text.h"
#include "base/header_text.h"
#include "config/config.h"

namespace archivist::config {
namespace {

class Checker {
 public:
  explicit Checker(const KeyNamer& name) : name_(name) {}

  std::string Name(std::string_view key) const {
    return name_ ? name_(key) : std::string(key);
  }
  void Add(std::vector<std::string> keys, std::string message) {
    problems_.push_back({std::move(keys), std::move(message)});
  }
  // A value that goes into a request header (or a URL, which goes on the request line).
  void HeaderValue(std::string_view key, std::string_view value, std::string_view what) {
    const std::string bad = CheckHeaderValue(value);
    if (bad.empty()) return;
    Add({std::string(key)}, Name(key) + " contains " + bad + "; " + std::string(what) +
                                " may not hold control characters (CR and LF would inject "
                                "request headers)");
  }
  std::vector<Problem> Take() { return std::move(problems_); }

 private:
  const KeyNamer& name_;
  std::vector<Problem> problems_;
};

}  // namespace

std::vector<Problem> Validate(const Config& c, const KeyNamer& name) {
  Checker check(name);
  check.HeaderValue("zhihu.cookie", c.zhihu.cookie, "a Cookie header");
  check.HeaderValue("fetch.user_agent", c.fetch.user_agent, "a User-Agent header");
  check.HeaderValue("zhihu.base_url", c.zhihu.base_url, "a URL");
  check.HeaderValue("zhihu.image_proxy", c.zhihu.image_proxy, "a URL");
  check.HeaderValue("fetch.proxy", c.fetch.proxy, "a URL");
  return check.Take();
}

}  // namespace archivist::config
