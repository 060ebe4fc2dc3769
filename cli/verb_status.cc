// archivist [--config FILE] status [--listen HOST:PORT]
//
// The running daemon's health and counters, for a person: GET /healthz and /metrics from
// daemon.status_listen (or --listen) and prints them as a few lines (--json: one object),
// a stalled host among them (daemon/metrics.h HostState). Exit 0 when healthy,
// 1 when unhealthy or unreachable, 2 for a bad configuration.
//
// On a PostgreSQL archive (store.path or --db a postgresql:// URI) it also names every daemon
// working on the archive, as each registered itself there (store.h DaemonRecord): host, pid,
// since, last seen, threads held. They are listed even when no daemon answers at the address.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>

#include "base/archive_location.h"
#include "base/clock.h"
#include "base/terminal_text.h"
#include "cli/archive.h"
#include "cli/load_config.h"
#include "cli/verbs.h"
#include "daemon/metrics.h"
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

// The samples of `prefix`{label="…"} by their label's value.
std::map<std::string, std::string> ByLabel(const std::map<std::string, std::string>& s,
                                           const std::string& prefix, bool skip_zero = false) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : s) {
    if (name.rfind(prefix + "{", 0) != 0 || (skip_zero && value == "0")) continue;
    const size_t q = name.find('"');
    out[name.substr(q + 1, name.rfind('"') - q - 1)] = value;
  }
  return out;
}

std::string Labelled(const std::map<std::string, std::string>& s, const std::string& prefix,
                     bool skip_zero) {
  std::string out;
  for (const auto& [label, value] : ByLabel(s, prefix, skip_zero)) {
    out += (out.empty() ? "" : ", ") + label + " " + value;
  }
  return out.empty() ? "none" : out;
}

double Number(const std::map<std::string, std::string>& s, const std::string& name) {
  auto it = s.find(name);
  return it == s.end() ? 0 : std::strtod(it->second.c_str(), nullptr);
}

// The hosts the daemon's fetchers talk to, as its /metrics describe them.
std::vector<daemon::HostState> Hosts(const std::map<std::string, std::string>& s) {
  std::map<std::string, daemon::HostState> hosts;
  for (const auto& [host, v] : ByLabel(s, "archivist_host_request_in_flight_seconds")) {
    hosts[host].in_flight_for = std::chrono::seconds(std::atoll(v.c_str()));
  }
  for (const auto& [host, v] : ByLabel(s, "archivist_host_consecutive_failures")) {
    hosts[host].consecutive_failures = std::atoi(v.c_str());
  }
  std::vector<daemon::HostState> out;
  for (auto& [host, h] : hosts) {
    h.host = host;
    h.stalled = h.in_flight_for >= daemon::kHostStalledAfter ||
                h.consecutive_failures >= daemon::kHostFailingAfter;
    out.push_back(h);
  }
  return out;
}

nlohmann::json NumbersByLabel(const std::map<std::string, std::string>& s, const std::string& prefix) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [label, v] : ByLabel(s, prefix)) out[label] = std::strtod(v.c_str(), nullptr);
  return out;
}

nlohmann::json StatusJson(bool healthy, const std::string& reason,
                          const std::map<std::string, std::string>& s) {
  nlohmann::json hosts = nlohmann::json::array();
  for (const daemon::HostState& h : Hosts(s)) {
    hosts.push_back({{"host", h.host}, {"in_flight_seconds", h.in_flight_for.count()},
                     {"consecutive_failures", h.consecutive_failures}, {"stalled", h.stalled}});
  }
  return {{"healthy", healthy},
          {"health", reason},
          {"threads", {{"tracked", Number(s, "archivist_threads_tracked")},
                       {"due", Number(s, "archivist_threads_due")},
                       {"failing", Number(s, "archivist_threads_failing")},
                       {"refreshing", Number(s, "archivist_refreshes_in_flight")}}},
          {"refreshes", NumbersByLabel(s, "archivist_refreshes_total")},
          {"events", NumbersByLabel(s, "archivist_events_total")},
          {"fetches", Number(s, "archivist_fetch_duration_seconds_count")},
          {"fetch_seconds", Number(s, "archivist_fetch_duration_seconds_sum")},
          {"retries", NumbersByLabel(s, "archivist_fetch_retries_total")},
          {"responses", NumbersByLabel(s, "archivist_http_responses_total")},
          {"wait_seconds", NumbersByLabel(s, "archivist_fetch_wait_seconds_total")},
          {"hosts", hosts},
          {"store_bytes", Number(s, "archivist_store_size_bytes")},
          {"discovered", Number(s, "archivist_threads_discovered_total")}};
}

void PrintStatusText(bool healthy, const std::string& reason,
                     std::map<std::string, std::string>& s) {
  std::printf("health:    %s (%s)\n", healthy ? "healthy" : "UNHEALTHY", reason.c_str());
  const double size = std::strtod(s["archivist_store_size_bytes"].c_str(), nullptr);
  std::printf("threads:   %s tracked, %s due, %s failing, %s refreshing now\n",
              s["archivist_threads_tracked"].c_str(), s["archivist_threads_due"].c_str(),
              s["archivist_threads_failing"].c_str(), s["archivist_refreshes_in_flight"].c_str());
  std::printf("refreshes: %s\n", Labelled(s, "archivist_refreshes_total", false).c_str());
  std::printf("events:    %s\n", Labelled(s, "archivist_events_total", true).c_str());
  std::printf("fetch:     %s fetches, %s s in total\n",
              s["archivist_fetch_duration_seconds_count"].c_str(),
              s["archivist_fetch_duration_seconds_sum"].c_str());
  std::printf("retries:   %s\n", Labelled(s, "archivist_fetch_retries_total", true).c_str());
  std::printf("waited:    %s\n", Labelled(s, "archivist_fetch_wait_seconds_total", false).c_str());
  std::string stalled;
  for (const daemon::HostState& h : Hosts(s)) {
    if (h.stalled) stalled += (stalled.empty() ? "" : "; ") + h.Describe();
  }
  std::printf("hosts:     %s\n", stalled.empty() ? "ok" : ("STALLED " + stalled).c_str());
  std::printf("store:     %.1f MiB\n", size / (1 << 20));
  std::printf("discovery: %s new threads\n", s["archivist_threads_discovered_total"].c_str());
}

// The daemons registered in a shared archive; nullopt for a file archive (one daemon, the
// lock file's) or when the archive cannot be read (said on stderr).
std::optional<std::vector<store::DaemonRecord>> SharedArchiveDaemons(const GlobalOptions& global) {
  Result<std::string> path = ReadOnlyStorePath(global, "status");
  if (!path.ok() || !IsDatabaseUri(*path)) return std::nullopt;
  Result<std::unique_ptr<store::Store>> archive = OpenArchiveToRead(global, "status");
  if (!archive.ok()) {
    PrintError("status", archive.status());
    return std::nullopt;
  }
  RealClock clock;
  Result<std::vector<store::DaemonRecord>> daemons = (*archive)->Daemons(clock.WallNow());
  if (!daemons.ok()) {
    PrintError("status", daemons.status().WithContext("listing the daemons"));
    return std::nullopt;
  }
  return *daemons;
}

nlohmann::json DaemonsJson(const std::vector<store::DaemonRecord>& daemons) {
  nlohmann::json out = nlohmann::json::array();
  for (const store::DaemonRecord& d : daemons) {
    out.push_back({{"id", d.id}, {"host", d.host}, {"pid", d.pid}, {"version", d.version},
                   {"since", d.started.ToIso8601()}, {"last_seen", d.heartbeat.ToIso8601()},
                   {"threads_held", d.threads_held}});
  }
  return out;
}

void PrintDaemons(const std::vector<store::DaemonRecord>& daemons) {
  std::printf("daemons:   %zu on the archive\n", daemons.size());
  const int64_t now = RealClock().WallNow().micros();
  for (const store::DaemonRecord& d : daemons) {
    // Written by other processes: nothing of it may drive the terminal.
    std::printf("  %s pid %lld since %s, last seen %llds ago, %d threads held\n",
                TerminalSafe(d.host).c_str(), static_cast<long long>(d.pid),
                d.started.ToIso8601().c_str(),
                static_cast<long long>((now - d.heartbeat.micros()) / 1'000'000), d.threads_held);
  }
}

int RunStatus(const std::string& listen, bool json, const GlobalOptions& global) {
  const std::optional<std::vector<store::DaemonRecord>> daemons = SharedArchiveDaemons(global);
  Result<daemon::HttpGetResult> health = daemon::HttpGet(listen, "/healthz");
  if (!health.ok()) {
    PrintError("status", health.status());
    if (daemons && json) {
      std::printf("%s\n", nlohmann::json({{"healthy", false}, {"daemons", DaemonsJson(*daemons)}})
                              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                              .c_str());
    } else if (daemons) {
      PrintDaemons(*daemons);
    }
    return health.status().code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  Result<daemon::HttpGetResult> metrics = daemon::HttpGet(listen, "/metrics");
  if (!metrics.ok()) PrintError("status", metrics.status());
  // Whatever answers at the address wrote these: nothing of it may drive the terminal.
  std::string reason = TerminalSafe(health->body, /*keep_layout=*/true);
  while (!reason.empty() && reason.back() == '\n') reason.pop_back();
  reason = TerminalSafe(reason);
  std::map<std::string, std::string> s;
  if (metrics.ok()) s = Samples(TerminalSafe(metrics->body, /*keep_layout=*/true));
  const bool healthy = health->status == 200;
  if (json) {
    nlohmann::json out = StatusJson(healthy, reason, s);
    if (daemons) out["daemons"] = DaemonsJson(*daemons);
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                            .c_str());
  } else if (metrics.ok()) {
    PrintStatusText(healthy, reason, s);
  } else {
    std::printf("health:    %s (%s)\n", healthy ? "healthy" : "UNHEALTHY", reason.c_str());
  }
  if (daemons && !json) PrintDaemons(*daemons);
  return healthy && metrics.ok() ? kExitOk : kExitFailure;
}

}  // namespace

void AddStatusVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto listen = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("status", "the daemon's health, for a person");
  cmd->add_option("--listen", *listen, "HOST:PORT of the daemon (default: daemon.status_listen)");
  cmd->add_flag("--json", *json, "one JSON object");
  cmd->callback([&global, run, listen, json] {
    *run = [&global, listen, json] {
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
      return RunStatus(address, *json, global);
    };
  });
}

}  // namespace archivist::cli
