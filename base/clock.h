// Clock: the one place archivist reads the time (docs/development.md).
//
// Steady time measures intervals (timeouts, politeness delays, schedules within one run);
// wall time is only for stored timestamps. Code takes a Clock& and never calls now() itself,
// so tests drive time with FakeClock (base/fake_clock.h, linked into tests only) and never
// sleep.
//
// Thread-safety: RealClock is thread-safe.
#ifndef ARCHIVIST_BASE_CLOCK_H_
#define ARCHIVIST_BASE_CLOCK_H_

#include <chrono>

#include "base/time.h"

namespace archivist {

class Clock {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  virtual SteadyTime SteadyNow() = 0;
  virtual Timestamp WallNow() = 0;
  // Blocks the calling thread for `d` (FakeClock: advances time instead).
  virtual void SleepFor(Duration d) = 0;
};

class RealClock final : public Clock {
 public:
  SteadyTime SteadyNow() override;
  Timestamp WallNow() override;
  void SleepFor(Duration d) override;
};

}  // namespace archivist

#endif  // ARCHIVIST_BASE_CLOCK_H_
