#include "base/time.h"

#include <cstdio>

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

}  // namespace

std::string Timestamp::ToIso8601() const {
  int64_t days = us_ / 86'400'000'000;
  int64_t rem = us_ % 86'400'000'000;
  if (rem < 0) {
    rem += 86'400'000'000;
    --days;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  const int64_t secs = rem / 1'000'000;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lld+00:00",
                static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                static_cast<long long>(rem % 1'000'000));
  return buf;
}

Result<Timestamp> ParseIso8601(std::string_view text) {
  auto bad = [&](const char* what) {
    return Status::InvalidArgument("bad time \"" + std::string(text) + "\": " + what +
                                   " (expected ISO 8601, e.g. 2026-01-17T08:00:00Z)");
  };
  Cursor c{text};
  int64_t y, mo, d, h = 0, mi = 0, s = 0, frac_us = 0, offset_min = 0;
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
  const int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - offset_min * 60;
  return Timestamp::FromMicros(secs * 1'000'000 + frac_us);
}

}  // namespace archivist
