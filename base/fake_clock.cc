#include "base/fake_clock.h"

namespace archivist {

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
