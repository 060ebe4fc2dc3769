// ISO 8601 formatting and parsing, the display zone, and the relative TIME forms.
//
// Civil dates are converted with H. Hinnant's algorithms (no time_t, no timegm), so any
// date of the proleptic Gregorian calendar works and nothing depends on the C library but
// the local zone's offset, which localtime_r gives for an instant. Turning a local wall time
// into an instant needs the offset at an instant not known yet: it is guessed from the wall
// time read as UTC and corrected once, which is exact except inside a daylight-saving gap or
// overlap (a wall time that does not exist, or exists twice), where one of the two nearest
// instants is taken.
#include "base/time.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace archivist {

namespace {

// Days since 1970-01-01 of a civil date (proleptic Gregorian), after H. Hinnant.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// A small cursor over the text being parsed.
struct Cursor {
  std::string_view s;
  size_t i = 0;
  bool Done() const { return i >= s.size(); }
  bool Peek(char c) const { return i < s.size() && s[i] == c; }
  // Reads exactly n digits.
  bool Digits(int n, int64_t* out) {
    int64_t v = 0;
    for (int k = 0; k < n; ++k) {
      if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i++] - '0');
    }
    *out = v;
    return true;
  }
};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// `wall_us` (microseconds of a wall clock, as if UTC) written with the offset's suffix.
std::string FormatWall(int64_t wall_us, int64_t offset_s) {
  const int64_t days = FloorDiv(wall_us, 86'400'000'000);
  const int64_t rem = wall_us - days * 86'400'000'000;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  const int64_t secs = rem / 1'000'000;
  const int64_t off = offset_s < 0 ? -offset_s : offset_s;
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lld%c%02lld:%02lld",
                static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                static_cast<long long>(rem % 1'000'000), offset_s < 0 ? '-' : '+',
                static_cast<long long>(off / 3600), static_cast<long long>(off / 60 % 60));
  return buf;
}

// The instant at which the clocks of `zone` show `wall_s` (seconds, as if UTC).
int64_t WallToSeconds(int64_t wall_s, Zone zone) {
  if (zone == Zone::kUtc) return wall_s;
  const int64_t guess = wall_s - UtcOffsetSeconds(Timestamp::FromSeconds(wall_s), zone);
  return wall_s - UtcOffsetSeconds(Timestamp::FromSeconds(guess), zone);
}

// "90m", "24h", "7d", "1h30m", "2w": seconds, or -1 when the text is not such a duration.
int64_t ParseDurationSeconds(std::string_view s) {
  int64_t total = 0;
  size_t i = 0;
  if (s.empty()) return -1;
  while (i < s.size()) {
    int64_t n = 0;
    size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 9) n = n * 10 + (s[i++] - '0'), ++digits;
    if (digits == 0 || i >= s.size()) return -1;
    int64_t unit = 0;
    switch (s[i++]) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      case 'w': unit = 7 * 86400; break;
      default: return -1;
    }
    total += n * unit;
    if (total > 200LL * 366 * 86400) return -1;  // two centuries: surely a typo
  }
  return total;
}

}  // namespace

Zone DisplayZone() {
  const char* tz = std::getenv("TZ");
  return tz != nullptr && *tz != '\0' ? Zone::kLocal : Zone::kUtc;
}

int64_t UtcOffsetSeconds(Timestamp t, Zone zone) {
  if (zone == Zone::kUtc) return 0;
  const std::time_t secs = static_cast<std::time_t>(t.seconds());
  std::tm tm{};
  if (localtime_r(&secs, &tm) == nullptr) return 0;
  return tm.tm_gmtoff;
}

std::string FormatIso8601(Timestamp t, Zone zone) {
  const int64_t offset = UtcOffsetSeconds(t, zone);
  return FormatWall(t.micros() + offset * 1'000'000, offset);
}

std::string Timestamp::ToIso8601() const { return FormatWall(us_, 0); }

Result<Timestamp> ParseIso8601(std::string_view text, Zone zone) {
  auto bad = [&](const char* what) {
    return Status::InvalidArgument("bad time \"" + std::string(text) + "\": " + what +
                                   " (expected ISO 8601, e.g. 2026-01-17T08:00:00Z)");
  };
  Cursor c{text};
  int64_t y, mo, d, h = 0, mi = 0, s = 0, frac_us = 0, offset_min = 0;
  bool has_offset = false;
  if (!c.Digits(4, &y) || !c.Peek('-')) return bad("no YYYY-MM-DD date");
  ++c.i;
  if (!c.Digits(2, &mo) || !c.Peek('-')) return bad("no YYYY-MM-DD date");
  ++c.i;
  if (!c.Digits(2, &d)) return bad("no YYYY-MM-DD date");
  if (mo < 1 || mo > 12) return bad("month out of range");
  if (d < 1 || d > DaysInMonth(y, static_cast<unsigned>(mo))) return bad("day out of range");
  if (!c.Done()) {
    if (!c.Peek('T') && !c.Peek('t') && !c.Peek(' ')) return bad("expected 'T' after the date");
    ++c.i;
    if (!c.Digits(2, &h) || !c.Peek(':')) return bad("expected HH:MM after the date");
    ++c.i;
    if (!c.Digits(2, &mi)) return bad("expected HH:MM after the date");
    if (c.Peek(':')) {
      ++c.i;
      if (!c.Digits(2, &s)) return bad("expected two digits of seconds");
      if (c.Peek('.') || c.Peek(',')) {
        ++c.i;
        int n = 0;
        while (!c.Done() && c.s[c.i] >= '0' && c.s[c.i] <= '9') {
          if (n < 6) frac_us = frac_us * 10 + (c.s[c.i] - '0');
          ++n;
          ++c.i;
        }
        if (n == 0) return bad("expected digits after the decimal point");
        for (int k = n; k < 6; ++k) frac_us *= 10;
      }
    }
    if (h > 23 || mi > 59 || s > 60) return bad("time of day out of range");
    has_offset = c.Peek('Z') || c.Peek('z') || c.Peek('+') || c.Peek('-');
    if (c.Peek('Z') || c.Peek('z')) {
      ++c.i;
    } else if (c.Peek('+') || c.Peek('-')) {
      const int sign = c.s[c.i++] == '-' ? -1 : 1;
      int64_t oh, om = 0;
      if (!c.Digits(2, &oh)) return bad("bad UTC offset");
      if (c.Peek(':')) ++c.i;
      if (!c.Done() && !c.Digits(2, &om)) return bad("bad UTC offset");
      if (oh > 23 || om > 59) return bad("UTC offset out of range");
      offset_min = sign * (oh * 60 + om);
    }
    if (!c.Done()) return bad("unexpected text after the time");
  }
  const int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const int64_t wall = days * 86400 + h * 3600 + mi * 60 + s;
  const int64_t secs = has_offset ? wall - offset_min * 60 : WallToSeconds(wall, zone);
  return Timestamp::FromMicros(secs * 1'000'000 + frac_us);
}

Result<Timestamp> ParseTimeSpec(std::string_view text, Timestamp now, Zone zone) {
  auto looks_like_date = [&] {
    return text.size() >= 5 && text[4] == '-' &&
           text.substr(0, 4).find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (looks_like_date()) return ParseIso8601(text, zone);
  if (text == "now") return now;
  if (text == "today" || text == "yesterday") {
    const int64_t wall = now.seconds() + UtcOffsetSeconds(now, zone);
    const int64_t day = FloorDiv(wall, 86400) - (text == "yesterday" ? 1 : 0);
    return Timestamp::FromSeconds(WallToSeconds(day * 86400, zone));
  }
  if (const int64_t ago = ParseDurationSeconds(text); ago >= 0) {
    return Timestamp::FromMicros(now.micros() - ago * 1'000'000);
  }
  return Status::InvalidArgument(
      "bad time \"" + std::string(text) +
      "\": expected ISO 8601 (2026-01-17, 2026-01-17T08:00:00Z, 2026-01-17 16:00+08:00), a "
      "duration ago (90m, 24h, 7d, 1h30m), now, today or yesterday");
}

}  // namespace archivist
