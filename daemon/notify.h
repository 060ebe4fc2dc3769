// Notifier: the systemd notification protocol (sd_notify, Type=notify) and the watchdog.
//
// Without $NOTIFY_SOCKET (not under systemd with Type=notify) every call does nothing.
// Messages: READY=1 once the store is open and the schedule loaded; STATUS=<text> whenever
// the counts change; WATCHDOG=1 from the event loop every half WatchdogSec; STOPPING=1
// when a stop begins. libsystemd is used here and in logging.cc only.
//
// Thread-safety: thread-safe (sd_notify opens its own socket per call).
#ifndef ARCHIVIST_DAEMON_NOTIFY_H_
#define ARCHIVIST_DAEMON_NOTIFY_H_

#include <chrono>
#include <optional>
#include <string>

namespace archivist::daemon {

class Notifier {
 public:
  void Ready(const std::string& status);
  void Status(const std::string& status);
  void Watchdog();
  void Stopping(const std::string& status);
  // Half the watchdog timeout systemd asked for ($WATCHDOG_USEC for this pid), or nullopt.
  static std::optional<std::chrono::microseconds> WatchdogPeriod();

 private:
  void Send(const std::string& message);
  std::string last_status_;
};

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_NOTIFY_H_
