#include <gtest/gtest.h>

#include "config/config.h"

namespace archivist::config {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(ParseDuration, AcceptsEveryUnitAndCombinations) {
  EXPECT_EQ(*ParseDuration("90s"), seconds(90));
  EXPECT_EQ(*ParseDuration("10m"), minutes(10));
  EXPECT_EQ(*ParseDuration("7d"), hours(24 * 7));
  EXPECT_EQ(*ParseDuration("2w"), hours(24 * 14));
  EXPECT_EQ(*ParseDuration("1h30m"), minutes(90));
  EXPECT_EQ(*ParseDuration("250ms"), milliseconds(250));
  EXPECT_EQ(*ParseDuration("1m30s500ms"), milliseconds(90'500));
  EXPECT_EQ(*ParseDuration("0s"), milliseconds(0));
}

TEST(ParseDuration, RefusesWithAReason) {
  struct Case {
    const char* text;
    const char* why;
  } cases[] = {
      {"", "empty"},
      {"30", "needs a unit"},
      {"10x", "unknown unit \"x\""},
      {"m", "expected a number"},
      {"-5s", "expected a number"},
      {"1 h", "unknown unit \" h\""},
      {"99999999999999999999s", "too large"},
      {"9999999999999999d", "too large"},
  };
  for (const Case& c : cases) {
    Result<Duration> d = ParseDuration(c.text);
    ASSERT_FALSE(d.ok()) << c.text;
    EXPECT_NE(d.status().message().find(c.why), std::string::npos) << d.status().message();
    EXPECT_NE(d.status().message().find(std::string("\"") + c.text + "\""), std::string::npos);
  }
}

TEST(ParseSize, BinaryDecimalAndBytes) {
  EXPECT_EQ(*ParseSize("32MiB"), 32LL << 20);
  EXPECT_EQ(*ParseSize("512KiB"), 512LL << 10);
  EXPECT_EQ(*ParseSize("1GiB"), 1LL << 30);
  EXPECT_EQ(*ParseSize("1GB"), 1'000'000'000);
  EXPECT_EQ(*ParseSize("1000"), 1000);
  EXPECT_EQ(*ParseSize("7B"), 7);
}

TEST(ParseSize, RefusesWithAReason) {
  EXPECT_NE(ParseSize("12XB").status().message().find("unknown unit \"XB\""), std::string::npos);
  EXPECT_NE(ParseSize("MiB").status().message().find("expected a number"), std::string::npos);
  EXPECT_NE(ParseSize("").status().message().find("expected a number"), std::string::npos);
  EXPECT_NE(ParseSize("99999999999TiB").status().message().find("too large"), std::string::npos);
  EXPECT_NE(ParseSize("32 MiB").status().message().find("unknown unit"), std::string::npos);
}

TEST(FormatUnits, RoundTrip) {
  for (const char* d : {"90s", "10m", "7d", "1h30m", "250ms", "0s", "1d1h1m1s1ms"}) {
    EXPECT_EQ(*ParseDuration(FormatDuration(*ParseDuration(d))), *ParseDuration(d)) << d;
  }
  EXPECT_EQ(FormatDuration(minutes(90)), "1h30m");
  EXPECT_EQ(FormatDuration(hours(24 * 7)), "7d");
  EXPECT_EQ(FormatSize(32LL << 20), "32MiB");
  EXPECT_EQ(FormatSize(1000), "1000B");
  EXPECT_EQ(FormatSize(1536), "1536B");
}

}  // namespace
}  // namespace archivist::config
