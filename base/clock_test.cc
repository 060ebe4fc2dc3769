#include "base/clock.h"
#include "base/fake_clock.h"

#include <gtest/gtest.h>

namespace archivist {
namespace {

using namespace std::chrono_literals;

TEST(FakeClockTest, MovesOnlyWhenTold) {
  FakeClock clock(Timestamp::FromSeconds(100));
  auto t0 = clock.SteadyNow();
  EXPECT_EQ(clock.SteadyNow(), t0);
  clock.SleepFor(1500ms);
  EXPECT_EQ(clock.SteadyNow() - t0, 1500ms);
  EXPECT_EQ(clock.WallNow().micros(), 101'500'000);
}

TEST(RealClockTest, SteadyTimeIsMonotonic) {
  RealClock clock;
  auto a = clock.SteadyNow();
  auto b = clock.SteadyNow();
  EXPECT_LE(a, b);
  EXPECT_GT(clock.WallNow().seconds(), 1'700'000'000);
}

}  // namespace
}  // namespace archivist
