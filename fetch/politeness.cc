#include "fetch/politeness.h"

#include <algorithm>

namespace archivist::fetch {

Politeness::Politeness(Clock& clock, PolitenessOptions options, uint64_t seed)
    : clock_(clock), options_(options), rng_(seed) {}

Clock::Duration Politeness::TryAcquire(const std::string& host, bool* backed_off) {
  std::lock_guard<std::mutex> lock(mu_);
  Host& h = hosts_[host];
  if (in_flight_ >= options_.global_concurrency) return kWaitForRelease;
  if (h.in_flight >= options_.per_host_concurrency) return kWaitForRelease;
  const Clock::SteadyTime now = clock_.SteadyNow();
  if (now < h.next_start) {
    if (backed_off != nullptr) *backed_off = now < h.backed_off_until;
    return h.next_start - now;
  }
  ++h.in_flight;
  ++in_flight_;
  std::uniform_real_distribution<double> factor(1.0, 1.0 + std::max(0.0, options_.jitter));
  const auto delay = std::chrono::duration_cast<Clock::Duration>(
      options_.per_host_delay * factor(rng_));
  h.next_start = now + delay;
  return Clock::Duration::zero();
}

void Politeness::Release(const std::string& host) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    Host& h = hosts_[host];
    if (h.in_flight > 0) --h.in_flight;
    if (in_flight_ > 0) --in_flight_;
  }
  released_.notify_all();
}

void Politeness::BackOff(const std::string& host, Clock::SteadyTime until) {
  std::lock_guard<std::mutex> lock(mu_);
  Host& h = hosts_[host];
  h.next_start = std::max(h.next_start, until);
  h.backed_off_until = std::max(h.backed_off_until, until);
}

void Politeness::WaitForRelease(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  released_.wait_for(lock, timeout);
}

}  // namespace archivist::fetch
