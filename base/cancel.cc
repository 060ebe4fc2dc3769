#include "base/cancel.h"

#include <algorithm>

namespace archivist {

bool CancelToken::SleepFor(Clock& clock, Clock::Duration d) const {
  const Clock::Duration slice = kSlice;
  while (d > Clock::Duration::zero()) {
    if (cancelled()) return false;
    const Clock::Duration step = std::min(d, slice);
    clock.SleepFor(step);
    d -= step;
  }
  return !cancelled();
}

}  // namespace archivist
