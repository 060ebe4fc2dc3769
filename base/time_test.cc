#include "base/time.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace archivist {
namespace {

TEST(TimestampTest, FormatsWithSixFractionDigits) {
  EXPECT_EQ(Timestamp::FromMicros(0).ToIso8601(), "1970-01-01T00:00:00.000000+00:00");
  EXPECT_EQ(Timestamp::FromSeconds(1768636800).ToIso8601(), "2026-01-17T08:00:00.000000+00:00");
  EXPECT_EQ(Timestamp::FromMicros(1762553721127093).ToIso8601(),
            "2025-11-07T22:15:21.127093+00:00");
  EXPECT_EQ(Timestamp::FromMicros(-1).ToIso8601(), "1969-12-31T23:59:59.999999+00:00");
  EXPECT_EQ(Timestamp::FromSeconds(951782400).ToIso8601(), "2000-02-29T00:00:00.000000+00:00");
}

TEST(TimestampTest, ParsesWhatItFormats) {
  for (int64_t us : {int64_t{0}, int64_t{1762553721127093}, int64_t{951782400000001}}) {
    Result<Timestamp> t = ParseIso8601(Timestamp::FromMicros(us).ToIso8601());
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ(t->micros(), us);
  }
}

TEST(TimestampTest, ParsesHumanForms) {
  EXPECT_EQ(ParseIso8601("2026-01-17")->seconds(), 1768608000);
  EXPECT_EQ(ParseIso8601("2026-01-17T08:00")->seconds(), 1768636800);
  EXPECT_EQ(ParseIso8601("2026-01-17 08:00:00Z")->seconds(), 1768636800);
  EXPECT_EQ(ParseIso8601("2026-01-17T16:00:00+08:00")->seconds(), 1768636800);
  EXPECT_EQ(ParseIso8601("2026-01-17T08:00:00.5Z")->micros(), 1768636800500000);
}

TEST(TimestampTest, RejectsMalformedTimeWithClearMessage) {
  for (const char* bad : {"", "yesterday", "2026-13-01", "2026-02-30", "2026-01-17T25:00",
                          "2026-01-17T08:00:00+99:00", "2026-01-17T08:00:00 junk"}) {
    Result<Timestamp> t = ParseIso8601(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_NE(t.status().message().find(std::string("\"") + bad + "\""), std::string::npos)
        << t.status().message();
  }
}

// Sets TZ for one test (POSIX zone strings, so no tzdata is needed) and restores it.
class ScopedTz {
 public:
  explicit ScopedTz(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    if (tz == nullptr) {
      unsetenv("TZ");
    } else {
      setenv("TZ", tz, 1);
    }
    tzset();
  }
  ~ScopedTz() {
    if (old_) {
      setenv("TZ", old_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  std::optional<std::string> old_;
};

constexpr Timestamp kNoon = Timestamp::FromSeconds(1768651200);  // 2026-01-17T12:00:00Z

TEST(ZoneTest, DisplayZoneIsLocalOnlyWhenTzIsSet) {
  {
    ScopedTz tz(nullptr);
    EXPECT_EQ(DisplayZone(), Zone::kUtc);
  }
  {
    ScopedTz tz("");
    EXPECT_EQ(DisplayZone(), Zone::kUtc);
  }
  ScopedTz tz("XST-8");
  EXPECT_EQ(DisplayZone(), Zone::kLocal);
}

TEST(ZoneTest, FormatsWithTheZonesOffset) {
  ScopedTz tz("XST-8");  // UTC+8, like Asia/Shanghai
  EXPECT_EQ(UtcOffsetSeconds(kNoon, Zone::kLocal), 8 * 3600);
  EXPECT_EQ(FormatIso8601(kNoon, Zone::kLocal), "2026-01-17T20:00:00.000000+08:00");
  EXPECT_EQ(FormatIso8601(kNoon, Zone::kUtc), kNoon.ToIso8601());
  ScopedTz west("NST3:30");  // UTC-3:30
  EXPECT_EQ(FormatIso8601(Timestamp::FromMicros(kNoon.micros() + 5), Zone::kLocal),
            "2026-01-17T08:30:00.000005-03:30");
  for (int64_t us : {kNoon.micros(), int64_t{-1}, int64_t{951782400000001}}) {
    Result<Timestamp> back = ParseIso8601(FormatIso8601(Timestamp::FromMicros(us), Zone::kLocal));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->micros(), us);
  }
}

TEST(ZoneTest, TimeWithoutOffsetIsReadInTheZone) {
  ScopedTz tz("XST-8");
  EXPECT_EQ(ParseIso8601("2026-01-17T20:00", Zone::kLocal)->seconds(), kNoon.seconds());
  EXPECT_EQ(ParseIso8601("2026-01-17T20:00", Zone::kUtc)->seconds(), kNoon.seconds() + 8 * 3600);
  EXPECT_EQ(ParseIso8601("2026-01-17", Zone::kLocal)->seconds(), 1768608000 - 8 * 3600);
  // An explicit offset wins over the zone.
  EXPECT_EQ(ParseIso8601("2026-01-17T12:00Z", Zone::kLocal)->seconds(), kNoon.seconds());
}

TEST(ZoneTest, DaylightSavingTimeOffsetsFollowTheDate) {
  ScopedTz tz("EST5EDT,M3.2.0,M11.1.0");  // US Eastern rules
  EXPECT_EQ(FormatIso8601(kNoon, Zone::kLocal), "2026-01-17T07:00:00.000000-05:00");
  const Timestamp july = Timestamp::FromSeconds(1784289600);  // 2026-07-17T12:00:00Z
  EXPECT_EQ(FormatIso8601(july, Zone::kLocal), "2026-07-17T08:00:00.000000-04:00");
  EXPECT_EQ(ParseIso8601("2026-07-17T08:00", Zone::kLocal)->seconds(), july.seconds());
}

TEST(TimeSpecTest, DurationsCountBackFromNow) {
  const std::pair<const char*, int64_t> cases[] = {
      {"90m", 90 * 60}, {"24h", 86400}, {"7d", 7 * 86400}, {"2w", 14 * 86400},
      {"1h30m", 5400},  {"45s", 45},    {"0s", 0},
  };
  for (const auto& [text, ago] : cases) {
    Result<Timestamp> t = ParseTimeSpec(text, kNoon, Zone::kUtc);
    ASSERT_TRUE(t.ok()) << text << ": " << t.status().ToString();
    EXPECT_EQ(kNoon.seconds() - t->seconds(), ago) << text;
  }
  EXPECT_EQ(ParseTimeSpec("now", kNoon, Zone::kUtc)->micros(), kNoon.micros());
}

TEST(TimeSpecTest, TodayAndYesterdayAreMidnightInTheZone) {
  EXPECT_EQ(ParseTimeSpec("today", kNoon, Zone::kUtc)->ToIso8601(),
            "2026-01-17T00:00:00.000000+00:00");
  EXPECT_EQ(ParseTimeSpec("yesterday", kNoon, Zone::kUtc)->ToIso8601(),
            "2026-01-16T00:00:00.000000+00:00");
  ScopedTz tz("XST-8");
  // 12:00Z is 20:00 in UTC+8: today began at 2026-01-17T00:00+08:00 = 2026-01-16T16:00Z.
  EXPECT_EQ(FormatIso8601(*ParseTimeSpec("today", kNoon, Zone::kLocal), Zone::kLocal),
            "2026-01-17T00:00:00.000000+08:00");
  EXPECT_EQ(ParseTimeSpec("today", kNoon, Zone::kLocal)->ToIso8601(),
            "2026-01-16T16:00:00.000000+00:00");
  // 20:00Z is already the next day in UTC+8.
  const Timestamp evening = Timestamp::FromSeconds(kNoon.seconds() + 8 * 3600);
  EXPECT_EQ(FormatIso8601(*ParseTimeSpec("yesterday", evening, Zone::kLocal), Zone::kLocal),
            "2026-01-17T00:00:00.000000+08:00");
  EXPECT_EQ(ParseTimeSpec("2026-01-17T08:00", kNoon, Zone::kLocal)->ToIso8601(),
            "2026-01-17T00:00:00.000000+00:00");
}

TEST(TimeSpecTest, RejectsWithTheAcceptedForms) {
  for (const char* bad : {"", "last tuesday", "5", "5x", "h", "1h30", "-1h", "99999999999d",
                          "Today "}) {
    Result<Timestamp> t = ParseTimeSpec(bad, kNoon, Zone::kUtc);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_NE(t.status().message().find(std::string("\"") + bad + "\""), std::string::npos)
        << t.status().message();
    EXPECT_NE(t.status().message().find("24h"), std::string::npos) << t.status().message();
  }
  // A date that is wrong says what is wrong with it.
  Result<Timestamp> t = ParseTimeSpec("2026-13-01", kNoon, Zone::kUtc);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("month out of range"), std::string::npos);
}

}  // namespace
}  // namespace archivist
