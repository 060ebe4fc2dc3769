// Timestamp: a UTC instant with microsecond precision, and its ISO 8601 forms.
//
// Stored timestamps and the document format (docs/format.md §1) use
// "YYYY-MM-DDTHH:MM:SS.ffffff+00:00". Parsing accepts what a person types for TIME on the
// command line: a date, a date and time, optional fraction, and "Z" or a ±HH:MM offset.
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

// Parses "2026-01-17", "2026-01-17T08:00", "2026-01-17T08:00:00.5Z",
// "2026-01-17 08:00:00+08:00", … A date alone means its midnight UTC. A time without an
// offset is UTC. Errors name the text and what is wrong.
Result<Timestamp> ParseIso8601(std::string_view text);

}  // namespace archivist

#endif  // ARCHIVIST_BASE_TIME_H_
