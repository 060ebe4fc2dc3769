// Durations and sizes as people write them in the config file.
//
// A duration is one or more <integer><unit> groups with no spaces, largest unit first by
// habit but not by rule: "90s", "10m", "7d", "1h30m", "250ms", "2w". Units: ms, s, m, h, d, w.
// A bare number is refused (is "30" seconds or minutes?). Overflow is refused.
// A size is <integer>[unit]: B, KiB, MiB, GiB, TiB (powers of 1024), KB, MB, GB, TB (powers
// of 1000); a bare number means bytes.
#include <cstdint>
#include <limits>
#include <string>

#include "config/config.h"

namespace archivist::config {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads decimal digits at `pos`; false when none or when they overflow int64.
bool ReadNumber(std::string_view text, size_t* pos, int64_t* out) {
  const size_t start = *pos;
  int64_t v = 0;
  while (*pos < text.size() && IsDigit(text[*pos])) {
    const int d = text[*pos] - '0';
    if (v > (std::numeric_limits<int64_t>::max() - d) / 10) return false;
    v = v * 10 + d;
    ++*pos;
  }
  *out = v;
  return *pos > start;
}

bool MulOverflows(int64_t a, int64_t b) {
  return b != 0 && a > std::numeric_limits<int64_t>::max() / b;
}

int64_t DurationUnitMillis(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1000;
  if (unit == "m") return 60'000;
  if (unit == "h") return 3'600'000;
  if (unit == "d") return 86'400'000;
  if (unit == "w") return 7 * 86'400'000LL;
  return 0;
}

Status BadDuration(std::string_view text, std::string_view why) {
  return Status::InvalidArgument("bad duration \"" + std::string(text) + "\": " +
                                 std::string(why) +
                                 " (write e.g. \"90s\", \"10m\", \"1h30m\", \"7d\")");
}

}  // namespace

Result<Duration> ParseDuration(std::string_view text) {
  if (text.empty()) return BadDuration(text, "empty");
  size_t pos = 0;
  int64_t total = 0;
  while (pos < text.size()) {
    int64_t n = 0;
    if (!ReadNumber(text, &pos, &n)) {
      return BadDuration(text, IsDigit(text[pos]) ? "too large" : "expected a number");
    }
    const size_t unit_start = pos;
    while (pos < text.size() && !IsDigit(text[pos])) ++pos;
    const std::string_view unit = text.substr(unit_start, pos - unit_start);
    if (unit.empty()) return BadDuration(text, "a number needs a unit (ms, s, m, h, d, w)");
    const int64_t scale = DurationUnitMillis(unit);
    if (scale == 0) {
      return BadDuration(text, "unknown unit \"" + std::string(unit) + "\" (ms, s, m, h, d, w)");
    }
    if (MulOverflows(n, scale) || total > std::numeric_limits<int64_t>::max() - n * scale) {
      return BadDuration(text, "too large");
    }
    total += n * scale;
  }
  return Duration(total);
}

Result<int64_t> ParseSize(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("bad size \"" + std::string(text) + "\": " + std::string(why) +
                                   " (write e.g. \"32MiB\", \"512KiB\", \"1000000\")");
  };
  size_t pos = 0;
  int64_t n = 0;
  if (!ReadNumber(text, &pos, &n)) {
    return bad(pos < text.size() && IsDigit(text[pos]) ? "too large" : "expected a number");
  }
  const std::string_view unit = text.substr(pos);
  struct Unit {
    std::string_view name;
    int64_t scale;
  };
  static constexpr Unit kUnits[] = {
      {"", 1},           {"B", 1},
      {"KiB", 1LL << 10}, {"MiB", 1LL << 20}, {"GiB", 1LL << 30}, {"TiB", 1LL << 40},
      {"KB", 1000},      {"MB", 1000'000},  {"GB", 1000'000'000}, {"TB", 1000'000'000'000},
  };
  for (const Unit& u : kUnits) {
    if (u.name != unit) continue;
    if (MulOverflows(n, u.scale)) return bad("too large");
    return n * u.scale;
  }
  return bad("unknown unit \"" + std::string(unit) + "\" (B, KiB, MiB, GiB, TiB, KB, MB, GB, TB)");
}

std::string FormatDuration(Duration d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  static constexpr std::pair<int64_t, const char*> kParts[] = {
      {86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const auto& [scale, name] : kParts) {
    if (ms >= scale) {
      out += std::to_string(ms / scale) + name;
      ms %= scale;
    }
  }
  return out;
}

std::string FormatSize(int64_t bytes) {
  static constexpr std::pair<int64_t, const char*> kUnits[] = {
      {1LL << 40, "TiB"}, {1LL << 30, "GiB"}, {1LL << 20, "MiB"}, {1LL << 10, "KiB"}};
  for (const auto& [scale, name] : kUnits) {
    if (bytes != 0 && bytes % scale == 0) return std::to_string(bytes / scale) + name;
  }
  return std::to_string(bytes) + "B";
}

}  // namespace archivist::config
