#include "base/cancel.h"

#include <gtest/gtest.h>

#include "base/fake_clock.h"

#include <thread>

namespace archivist {
namespace {

using namespace std::chrono_literals;

TEST(CancelTokenTest, SleepsTheWholeTimeWhenNotCancelled) {
  FakeClock clock;
  CancelToken token;
  const auto t0 = clock.SteadyNow();
  EXPECT_TRUE(token.SleepFor(clock, 1234ms));
  EXPECT_EQ(clock.SteadyNow() - t0, 1234ms);
  EXPECT_FALSE(token.cancelled());
  EXPECT_FALSE(Cancelled(&token));
  EXPECT_FALSE(Cancelled(nullptr));
}

TEST(CancelTokenTest, ACancelledTokenDoesNotSleep) {
  FakeClock clock;
  CancelToken token;
  token.Cancel();
  const auto t0 = clock.SteadyNow();
  EXPECT_FALSE(token.SleepFor(clock, 60s));
  EXPECT_EQ(clock.SteadyNow(), t0);
  EXPECT_TRUE(Cancelled(&token));
}

TEST(CancelTokenTest, ACancelFromAnotherThreadEndsALongSleepWithinASlice) {
  RealClock clock;
  CancelToken token;
  std::thread canceller([&] {
    std::this_thread::sleep_for(100ms);
    token.Cancel();
  });
  const auto t0 = clock.SteadyNow();
  EXPECT_FALSE(token.SleepFor(clock, 60s));
  const auto slept = clock.SteadyNow() - t0;
  canceller.join();
  EXPECT_GE(slept, 100ms);
  EXPECT_LT(slept, 2s);
}

}  // namespace
}  // namespace archivist
