#include "base/clock.h"

#include <thread>

namespace archivist {

Clock::SteadyTime RealClock::SteadyNow() { return std::chrono::steady_clock::now(); }

Timestamp RealClock::WallNow() {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return Timestamp::FromMicros(
      std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count());
}

void RealClock::SleepFor(Duration d) { std::this_thread::sleep_for(d); }

FakeClock::FakeClock(Timestamp wall_start) : steady_(SteadyTime{}), wall_(wall_start) {}

Clock::SteadyTime FakeClock::SteadyNow() {
  std::lock_guard<std::mutex> lock(mu_);
  return steady_;
}

Timestamp FakeClock::WallNow() {
  std::lock_guard<std::mutex> lock(mu_);
  return wall_;
}

void FakeClock::Advance(Duration d) {
  std::lock_guard<std::mutex> lock(mu_);
  steady_ += d;
  wall_ = Timestamp::FromMicros(
      wall_.micros() + std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

}  // namespace archivist
