// FakeClock: a Clock that only moves when told to, for tests (archivist_base_testing; never
// linked into the shipped binary). SleepFor advances it, so code that sleeps runs instantly
// and a test can assert on the exact times at which things happened.
//
// Thread-safety: thread-safe (an internal mutex).
#ifndef ARCHIVIST_BASE_FAKE_CLOCK_H_
#define ARCHIVIST_BASE_FAKE_CLOCK_H_

#include <mutex>

#include "base/clock.h"

namespace archivist {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp wall_start = Timestamp::FromMicros(1'768'636'800'000'000));
  SteadyTime SteadyNow() override;
  Timestamp WallNow() override;
  void SleepFor(Duration d) override { Advance(d); }
  void Advance(Duration d);

 private:
  std::mutex mu_;
  SteadyTime steady_;
  Timestamp wall_;
};

}  // namespace archivist

#endif  // ARCHIVIST_BASE_FAKE_CLOCK_H_
