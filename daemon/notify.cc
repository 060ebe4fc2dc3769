#include "daemon/notify.h"

#include <systemd/sd-daemon.h>

#include <cstdint>

namespace archivist::daemon {

void Notifier::Send(const std::string& message) {
  // The result is ignored on purpose: not being supervised is not an error, and a failing
  // notification socket must not stop the archive from being kept.
  (void)sd_notify(0, message.c_str());
}

void Notifier::Ready(const std::string& status) {
  last_status_ = status;
  Send("READY=1\nSTATUS=" + status);
}

void Notifier::Status(const std::string& status) {
  if (status == last_status_) return;
  last_status_ = status;
  Send("STATUS=" + status);
}

void Notifier::Watchdog() { Send("WATCHDOG=1"); }

void Notifier::Stopping(const std::string& status) {
  last_status_ = status;
  Send("STOPPING=1\nSTATUS=" + status);
}

std::optional<std::chrono::microseconds> Notifier::WatchdogPeriod() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec / 2);
}

}  // namespace archivist::daemon
