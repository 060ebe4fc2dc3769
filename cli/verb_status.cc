// archivist [--config FILE] status [--listen HOST:PORT]
//
// The running daemon's health and counters, for a person: GET /healthz and /metrics from
// daemon.status_listen (or --listen) and prints them as a few lines. Exit 0 when healthy,
// 1 when unhealthy or unreachable, 2 for a bad configuration.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>

#include "base/terminal_text.h"
#include "cli/archive.h"
#include "cli/load_config.h"
#include "cli/verbs.h"
#include "daemon/status_server.h"

namespace archivist::cli {
namespace {

// "name{labels} value" lines of a Prometheus text body, by their full name.
std::map<std::string, std::string> Samples(const std::string& body) {
  std::map<std::string, std::string> out;
  std::istringstream in(body);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    if (space != std::string::npos) out[line.substr(0, space)] = line.substr(space + 1);
  }
  return out;
}

std::string Labelled(const std::map<std::string, std::string>& s, const std::string& prefix,
                     bool skip_zero) {
  std::string out;
  for (const auto& [name, value] : s) {
    if (name.rfind(prefix + "{", 0) != 0 || (skip_zero && value == "0")) continue;
    const size_t q = name.find('"');
    const std::string label = name.substr(q + 1, name.rfind('"') - q - 1);
    out += (out.empty() ? "" : ", ") + label + " " + value;
  }
  return out.empty() ? "none" : out;
}

int RunStatus(const std::string& listen) {
  Result<daemon::HttpGetResult> health = daemon::HttpGet(listen, "/healthz");
  if (!health.ok()) {
    PrintError("status", health.status());
    return health.status().code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  Result<daemon::HttpGetResult> metrics = daemon::HttpGet(listen, "/metrics");
  if (!metrics.ok()) PrintError("status", metrics.status());
  std::string reason = health->body;
  while (!reason.empty() && reason.back() == '\n') reason.pop_back();
  std::printf("health:    %s (%s)\n", health->status == 200 ? "healthy" : "UNHEALTHY",
              TerminalSafe(reason).c_str());
  if (metrics.ok()) {
    // Whatever answers at the address wrote these: nothing of it may drive the terminal.
    auto s = Samples(TerminalSafe(metrics->body, /*keep_layout=*/true));
    const double size = std::strtod(s["archivist_store_size_bytes"].c_str(), nullptr);
    std::printf("threads:   %s tracked, %s due, %s failing, %s refreshing now\n",
                s["archivist_threads_tracked"].c_str(), s["archivist_threads_due"].c_str(),
                s["archivist_threads_failing"].c_str(),
                s["archivist_refreshes_in_flight"].c_str());
    std::printf("refreshes: %s\n", Labelled(s, "archivist_refreshes_total", false).c_str());
    std::printf("events:    %s\n", Labelled(s, "archivist_events_total", true).c_str());
    std::printf("fetch:     %s fetches, %s s in total\n",
                s["archivist_fetch_duration_seconds_count"].c_str(),
                s["archivist_fetch_duration_seconds_sum"].c_str());
    std::printf("store:     %.1f MiB\n", size / (1 << 20));
    std::printf("discovery: %s new threads\n", s["archivist_threads_discovered_total"].c_str());
  }
  return health->status == 200 && metrics.ok() ? kExitOk : kExitFailure;
}

}  // namespace

void AddStatusVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto listen = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("status", "the daemon's health, for a person");
  cmd->add_option("--listen", *listen, "HOST:PORT of the daemon (default: daemon.status_listen)");
  cmd->callback([&global, run, listen] {
    *run = [&global, listen] {
      std::string address = *listen;
      if (address.empty()) {
        Result<config::Config> c = LoadConfigFor(global, "status", {"daemon.status_listen"});
        if (!c.ok()) return PrintConfigError("status", c.status()), kExitUsage;
        address = c->daemon.status_listen;
      }
      if (address.empty()) {
        std::fprintf(stderr, "archivist status: daemon.status_listen is \"\" (disabled)\n");
        return kExitUsage;
      }
      return RunStatus(address);
    };
  });
}

}  // namespace archivist::cli
