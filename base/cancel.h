// CancelToken: a one-way "stop now" flag shared between the thread that decides to stop
// (the daemon's event loop, on SIGTERM) and the threads doing long work (a refresh's HTTP
// transfers, its retry back-offs, its commit).
//
// Long work polls cancelled() at its natural steps and sleeps through SleepFor, which wakes
// within a slice of kSlice once the token is cancelled. The token is never reset: whatever
// shares it is being torn down.
//
// Ownership: the owner outlives every borrower (the daemon's verb owns the token; refreshers,
// HTTP clients and pipelines borrow a const pointer, null meaning "never cancelled").
// Thread-safety: every member is thread-safe.
#ifndef ARCHIVIST_BASE_CANCEL_H_
#define ARCHIVIST_BASE_CANCEL_H_

#include <atomic>
#include <chrono>

#include "base/clock.h"

namespace archivist {

class CancelToken {
 public:
  static constexpr std::chrono::milliseconds kSlice{50};

  void Cancel() { cancelled_.store(true, std::memory_order_release); }
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }

  // Sleeps on `clock` for `d`, in slices of at most kSlice, returning early once cancelled.
  // Returns false when it returned because of the cancellation.
  bool SleepFor(Clock& clock, Clock::Duration d) const;

 private:
  std::atomic<bool> cancelled_{false};
};

// True when `token` is set and cancelled.
inline bool Cancelled(const CancelToken* token) { return token != nullptr && token->cancelled(); }

}  // namespace archivist

#endif  // ARCHIVIST_BASE_CANCEL_H_
