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

}  // namespace archivist
