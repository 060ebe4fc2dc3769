#include "base/time.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace archivist
