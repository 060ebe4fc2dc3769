// config::Validate: the checks of a whole configuration, shared by the file and the command
// line. Each check is written once against a Config; ParseConfig points its problems at the
// line of the key, the command line names its options.
//
// The ranges: wide enough for any sane use, narrow enough that no value overflows what is
// computed from it (a due time in microseconds, a timeout in libcurl's long milliseconds, a
// retry count plus one) and that no value silently turns a protection off.
#include <cmath>

#include "base/bounded_text.h"
#include "base/header_text.h"
#include "config/config.h"

namespace archivist::config {
namespace {

constexpr int64_t kSecond = 1000, kMinute = 60 * kSecond, kHour = 60 * kMinute, kDay = 24 * kHour;
using U = Limit::Unit;

constexpr Limit kLimits[] = {
    {"store.lease", U::kDuration, kSecond, kDay},
    {"fetch.timeout", U::kDuration, 100, kHour},
    {"fetch.connect_timeout", U::kDuration, 100, 10 * kMinute},
    {"fetch.max_body", U::kSize, 1LL << 10, 1LL << 30},
    {"fetch.concurrency", U::kCount, 1, 256},
    {"fetch.per_host_concurrency", U::kCount, 1, 64},
    {"fetch.per_host_delay", U::kDuration, 0, kHour},
    {"fetch.retries", U::kCount, 0, 10},
    {"zhihu.page_size", U::kCount, 1, 100},
    {"zhihu.max_pages", U::kCount, 1, 100'000},
    {"schedule.min_interval", U::kDuration, kSecond, 3650 * kDay},
    {"schedule.max_interval", U::kDuration, kSecond, 3650 * kDay},
    {"schedule.initial_interval", U::kDuration, kSecond, 3650 * kDay},
    {"schedule.delete_confirmations", U::kCount, 1, 100},
    {"schedule.gone_after", U::kDuration, 0, 3650 * kDay},
    {"discovery.interval", U::kDuration, kSecond, 365 * kDay},
    {"discovery.track_for", U::kDuration, kSecond, 3650 * kDay},
    {"notify.timeout", U::kDuration, 100, 10 * kMinute},
    {"media.max_size", U::kSize, 1LL << 10, 1LL << 30},
    {"media.budget", U::kCount, 0, 100'000},
};

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
  void InRange(std::string_view key, int64_t value) {
    const Limit* limit = FindLimit(key);
    if (limit == nullptr || (value >= limit->min && value <= limit->max)) return;
    Add({std::string(key)}, OutOfRange(*limit, Name(key), limit->Format(value)));
  }
  std::vector<Problem> Take() { return std::move(problems_); }

 private:
  const KeyNamer& name_;
  std::vector<Problem> problems_;
};

}  // namespace

std::string Limit::Format(int64_t value) const {
  switch (unit) {
    case U::kDuration: return value < 0 ? "-" + FormatDuration(Duration(-value))
                                         : FormatDuration(Duration(value));
    case U::kSize: return value < 0 ? std::to_string(value) : FormatSize(value);
    case U::kCount: break;
  }
  return std::to_string(value);
}

std::string Limit::Range() const { return "between " + Format(min) + " and " + Format(max); }

const Limit* FindLimit(std::string_view key) {
  for (const Limit& l : kLimits) {
    if (l.key == key) return &l;
  }
  return nullptr;
}

std::string OutOfRange(const Limit& limit, std::string_view name, std::string_view value) {
  const bool option = name.starts_with("--");
  return std::string(name) + (option ? " " : " = ") + BoundText(value, 64) +
         " is out of range: it must be " + limit.Range();
}

std::optional<Duration> DurationFromSeconds(double seconds) {
  if (!std::isfinite(seconds) || std::fabs(seconds) > 1e12) return std::nullopt;
  return Duration(std::llround(seconds * 1000));
}

std::vector<Problem> Validate(const Config& c, const KeyNamer& name) {
  Checker check(name);
  const FetchConfig& f = c.fetch;
  check.InRange("store.lease", c.store_lease.count());
  check.InRange("fetch.timeout", f.timeout.count());
  check.InRange("fetch.connect_timeout", f.connect_timeout.count());
  check.InRange("fetch.max_body", f.max_body);
  check.InRange("fetch.concurrency", f.concurrency);
  check.InRange("fetch.per_host_concurrency", f.per_host_concurrency);
  check.InRange("fetch.per_host_delay", f.per_host_delay.count());
  check.InRange("fetch.retries", f.retries);
  check.InRange("zhihu.page_size", c.zhihu.page_size);
  check.InRange("zhihu.max_pages", c.zhihu.max_pages);
  const ScheduleConfig& s = c.schedule;
  check.InRange("schedule.min_interval", s.min_interval.count());
  check.InRange("schedule.max_interval", s.max_interval.count());
  check.InRange("schedule.initial_interval", s.initial_interval.count());
  check.InRange("schedule.delete_confirmations", s.delete_confirmations);
  check.InRange("schedule.gone_after", s.gone_after.count());
  check.InRange("discovery.interval", c.discovery.interval.count());
  check.InRange("discovery.track_for", c.discovery.track_for.count());
  check.InRange("media.max_size", c.media.max_size);
  check.InRange("media.budget", c.media.budget);
  check.HeaderValue("media.base_url", c.media.base_url, "a URL");
  check.HeaderValue("zhihu.cookie", c.zhihu.cookie, "a Cookie header");
  check.HeaderValue("fetch.user_agent", c.fetch.user_agent, "a User-Agent header");
  check.HeaderValue("zhihu.base_url", c.zhihu.base_url, "a URL");
  check.HeaderValue("zhihu.image_proxy", c.zhihu.image_proxy, "a URL");
  check.HeaderValue("fetch.proxy", c.fetch.proxy, "a URL");
  return check.Take();
}

}  // namespace archivist::config
