// Timestamp: a UTC instant with microsecond precision, and its ISO 8601 forms.
//
// Stored timestamps, --json output and the document format (docs/format.md §1) use
// "YYYY-MM-DDTHH:MM:SS.ffffff+00:00". Output for a person is in the display zone (DisplayZone:
// the zone $TZ names when TZ is set, else UTC), always with its offset. Parsing accepts what a
// person types for TIME on the command line: a date, a date and time, optional fraction, and
// "Z" or a ±HH:MM offset (without one, the display zone); and, relative to now, a duration
// ago ("24h", "7d", "90m", "1h30m"), "now", "today" and "yesterday" (midnight in the zone).
//
// Thread-safety: everything here is reentrant; the local zone is read through localtime_r.
#ifndef ARCHIVIST_BASE_TIME_H_
#define ARCHIVIST_BASE_TIME_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace archivist {

class Timestamp {
 public:
  constexpr Timestamp() = default;
  static constexpr Timestamp FromMicros(int64_t us) { return Timestamp(us); }
  static constexpr Timestamp FromSeconds(int64_t s) { return Timestamp(s * 1'000'000); }
  constexpr int64_t micros() const { return us_; }
  constexpr int64_t seconds() const { return us_ >= 0 ? us_ / 1'000'000 : -((-us_ + 999'999) / 1'000'000); }
  friend constexpr auto operator<=>(Timestamp, Timestamp) = default;

  // "2026-01-17T08:00:00.000000+00:00" (docs/format.md §1: microseconds, always six digits).
  std::string ToIso8601() const;

 private:
  explicit constexpr Timestamp(int64_t us) : us_(us) {}
  int64_t us_ = 0;
};

// Where times are shown to a person and where a TIME without an offset is read.
enum class Zone {
  kUtc,    // +00:00
  kLocal,  // the C library's local zone ($TZ)
};

// kLocal when the environment sets TZ (to anything but ""), else kUtc: an operator who sets
// TZ sees local times; everyone else sees UTC, as stored.
Zone DisplayZone();

// The offset from UTC, in seconds, of `zone` at the instant `t` (e.g. 28800 for +08:00).
int64_t UtcOffsetSeconds(Timestamp t, Zone zone);

// "2026-01-17T16:00:00.000000+08:00": the instant as a wall time of `zone`, with the offset.
// FormatIso8601(t, Zone::kUtc) == t.ToIso8601().
std::string FormatIso8601(Timestamp t, Zone zone);

// Parses "2026-01-17", "2026-01-17T08:00", "2026-01-17T08:00:00.5Z",
// "2026-01-17 08:00:00+08:00", … A date alone means its midnight. A time without an offset
// is a wall time of `zone` (UTC by default). Errors name the text and what is wrong.
Result<Timestamp> ParseIso8601(std::string_view text, Zone zone = Zone::kUtc);

// A TIME as a person gives it on the command line (--since, --at): ParseIso8601 in `zone`;
// a duration ago: one or more <number><unit> with units s, m, h, d, w ("90m", "24h", "7d",
// "1h30m"), meaning `now` minus it; "now"; "today" and "yesterday": midnight of that day in
// `zone`. Errors name the text and list the accepted forms.
Result<Timestamp> ParseTimeSpec(std::string_view text, Timestamp now, Zone zone);

}  // namespace archivist

#endif  // ARCHIVIST_BASE_TIME_H_
