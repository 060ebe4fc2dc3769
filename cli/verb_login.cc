// `archivist login`: log in once in a browser window on archivist's browser profile.
//
// For a person at a desktop: a visible Chromium opens {base}/signin on the profile the browser
// backend uses (fetch.browser_profile; as root the browser runs as fetch.browser_user, with the
// same sandbox rules), and archivist waits until the window is closed. Then it says whether the
// session cookie (z_c0) is in the profile: exit 0 when it is, 1 when not, 2 for bad usage (no
// display, a bad configuration, a browser that is not installed). On a server without a
// display, copy a cookies file instead (fetch.cookies_file; docs/operations.md).
//
// The window runs with the JIT (a sign-in page may need WebAssembly) and without the backend's
// request policy. A hidden `--headless close|submit` stands in for the person in tests.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "browser/login.h"
#include "cli/load_config.h"
#include "cli/verbs.h"
#include "pipeline/backends.h"

namespace archivist::cli {
namespace {

struct LoginArgs {
  std::string headless;  // "" = a person at a desktop
};

bool Set(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0';
}

// The display of the person's desktop, handed to the browser (its environment is otherwise
// built from scratch).
std::vector<std::string> DisplayEnvironment() {
  std::vector<std::string> env;
  for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "XDG_RUNTIME_DIR"}) {
    if (Set(name)) env.push_back(std::string(name) + "=" + std::getenv(name));
  }
  return env;
}

int RunLoginVerb(const LoginArgs& args, const GlobalOptions& global) {
  Result<config::Config> config = LoadEffectiveConfig(global);
  if (!config.ok()) {
    std::fprintf(stderr, "archivist login: %s\n", config.status().message().c_str());
    return kExitUsage;
  }
  browser::LoginOptions o;
  o.launch = pipeline::BrowserLaunchOf(*config);
  auto& extra = o.launch.extra_args;
  extra.erase(std::remove(extra.begin(), extra.end(), "--js-flags=--jitless"), extra.end());
  std::string base = config->zhihu.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  o.url = base + "/signin";
  if (args.headless.empty()) {
    if (!Set("DISPLAY") && !Set("WAYLAND_DISPLAY")) {
      std::fprintf(stderr,
                   "archivist login: no display ($DISPLAY and $WAYLAND_DISPLAY are unset): login "
                   "opens a browser window for a person at a desktop. On a server, copy a cookies "
                   "file from a browser where you are logged in and set fetch.cookies_file "
                   "(docs/operations.md)\n");
      return kExitUsage;
    }
    o.launch.headless = false;
    o.launch.extra_env = DisplayEnvironment();
  } else {
    o.script = args.headless == "submit" ? browser::LoginOptions::Script::kSubmit
                                         : browser::LoginOptions::Script::kClose;
  }
  if (Result<std::string> exe = browser::ChromiumProcess::FindExecutable(o.launch.executable); !exe.ok()) {
    std::fprintf(stderr, "archivist login: %s\n", exe.status().message().c_str());
    return kExitUsage;
  }
  o.say = [](const std::string& s) { std::printf("%s\n", s.c_str()); std::fflush(stdout); };
  RealClock clock;
  Result<browser::LoginResult> r = browser::RunLogin(o, clock);
  if (!r.ok()) {
    std::fprintf(stderr, "archivist login: %s\n", r.status().message().c_str());
    return kExitFailure;
  }
  const std::string& profile = o.launch.profile_dir;
  if (r->logged_in && r->session_only) {
    std::printf("not kept: the %s cookie for %s has no expiry, so the browser forgot it when the "
                "window closed; log in with \"remember me\" (or copy a cookies file)\n",
                o.cookie_name.c_str(), r->cookie_domain.c_str());
    return kExitFailure;
  }
  if (r->logged_in) {
    std::printf("logged in: the profile %s holds a %s cookie for %s\n", profile.c_str(),
                o.cookie_name.c_str(), r->cookie_domain.c_str());
    return kExitOk;
  }
  std::printf("not logged in: the profile %s holds no %s cookie for %s\n", profile.c_str(),
              o.cookie_name.c_str(), base.c_str());
  return kExitFailure;
}

}  // namespace

void AddLoginVerb(CLI::App& app, const GlobalOptions& global, Runner* run) {
  auto args = std::make_shared<LoginArgs>();
  CLI::App* cmd = app.add_subcommand(
      "login", "log in once in a browser window on archivist's browser profile (at a desktop)");
  cmd->add_option("--headless", args->headless, "tests: close|submit instead of a person")
      ->check(CLI::IsMember({"close", "submit"}))
      ->group("");
  cmd->callback([args, &global, run] {
    *run = [args, &global] { return RunLoginVerb(*args, global); };
  });
}

}  // namespace archivist::cli
