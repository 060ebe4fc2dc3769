// The [[notify]] hooks of a one-shot `archivist refresh` (notify/notify.h): started when the
// configuration has any, told about each refresh that recorded events, and waited for at
// exit (the destructor drains the queue; each hook is bounded by its timeout and, for url
// hooks, its retries). Hook failures are warnings on stderr and never change the exit status.
#ifndef ARCHIVIST_CLI_NOTIFY_HOOKS_H_
#define ARCHIVIST_CLI_NOTIFY_HOOKS_H_

#include <memory>

#include "config/config.h"
#include "notify/notify.h"
#include "pipeline/pipeline.h"

namespace archivist::cli {

class RefreshHooks {
 public:
  explicit RefreshHooks(const config::Config& config);
  ~RefreshHooks();
  void Post(const pipeline::RefreshSummary& summary);

 private:
  std::unique_ptr<notify::HookRunner> runner_;
};

}  // namespace archivist::cli

#endif  // ARCHIVIST_CLI_NOTIFY_HOOKS_H_
