#include "cli/notify_hooks.h"

#include <cstdio>

#include "base/terminal_text.h"

namespace archivist::cli {

RefreshHooks::RefreshHooks(const config::Config& config) {
  if (config.notify.empty()) return;
  runner_ = std::make_unique<notify::HookRunner>(
      config.notify, [](bool warning, const std::string& message) {
        std::fprintf(stderr, "archivist refresh: %s%s\n", warning ? "warning: " : "",
                     TerminalSafe(message).c_str());
      });
}

RefreshHooks::~RefreshHooks() {
  if (runner_) runner_->Drain();
}

void RefreshHooks::Post(const pipeline::RefreshSummary& s) {
  if (!runner_ || !s.committed || !s.error.ok() || s.events.empty()) return;
  runner_->Post({s.thread, s.title, s.events});
}

}  // namespace archivist::cli
