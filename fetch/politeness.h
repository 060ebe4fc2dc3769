// Politeness: how hard archivist may press on one host, shared by every worker of a process.
//
// Per host: at most `per_host_concurrency` requests in flight and a minimum delay between the
// starts of two requests (`per_host_delay`, stretched by a random factor in [1, 1 + jitter] so
// that many archivists do not fall into lockstep). Across hosts: at most `global_concurrency`
// requests in flight. A host can also be backed off until a time (Retry-After, blocks).
//
// Callers take a slot with TryAcquire before a request and give it back with Release after.
// TryAcquire never blocks: it says how long to wait, so a caller building a batch can skip a
// busy host and try the next request. Time comes from the Clock, so tests run on FakeClock.
//
// Thread-safety: thread-safe (one mutex); meant to be shared by all workers.
#ifndef ARCHIVIST_FETCH_POLITENESS_H_
#define ARCHIVIST_FETCH_POLITENESS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>

#include "base/clock.h"

namespace archivist::fetch {

struct PolitenessOptions {
  int per_host_concurrency = 1;
  Clock::Duration per_host_delay = std::chrono::seconds(2);
  double jitter = 0.25;  // the delay is multiplied by a uniform factor in [1, 1 + jitter]
  int global_concurrency = 4;
};

class Politeness {
 public:
  static constexpr Clock::Duration kWaitForRelease = Clock::Duration::max();

  Politeness(Clock& clock, PolitenessOptions options, uint64_t seed = 0x5eed);

  // Takes a slot for a request to `host` now and returns Duration::zero(); or takes nothing
  // and returns how long to wait before asking again: kWaitForRelease when the host or the
  // process is at its concurrency limit (wait for a Release), else the time until the host's
  // next start is allowed. `backed_off` (when given) tells whether that time is the host's
  // back-off (BackOff) rather than its minimum delay.
  Clock::Duration TryAcquire(const std::string& host, bool* backed_off = nullptr);

  // Gives back the slot of a finished request to `host`.
  void Release(const std::string& host);

  // No request to `host` starts before `until` (Retry-After, a block).
  void BackOff(const std::string& host, Clock::SteadyTime until);

  // Blocks (really) until some slot is released or `timeout` passes. Needed only when other
  // threads hold all slots.
  void WaitForRelease(std::chrono::milliseconds timeout);

  const PolitenessOptions& options() const { return options_; }

 private:
  struct Host {
    int in_flight = 0;
    Clock::SteadyTime next_start{};
    Clock::SteadyTime backed_off_until{};
  };
  Clock& clock_;
  const PolitenessOptions options_;
  std::mutex mu_;
  std::condition_variable released_;
  std::map<std::string, Host> hosts_;
  int in_flight_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace archivist::fetch

#endif  // ARCHIVIST_FETCH_POLITENESS_H_
