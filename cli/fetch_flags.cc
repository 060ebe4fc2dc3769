#include "cli/fetch_flags.h"

#include <CLI/CLI.hpp>

#include "cli/load_config.h"

namespace archivist::cli {

void FetchFlags::Register(CLI::App& cmd) {
  cmd.add_option("--backend", backend, "http (the JSON API) or browser (the page, in Chromium)")
      ->check(CLI::IsMember({"http", "browser"}));
  cmd.add_option("--cookie", cookie, "Cookie header value");
  cmd.add_option("--cookies-file", cookies_file, "Netscape cookies.txt file");
  cmd.add_option("--user-agent", user_agent, "User-Agent (both backends)");
  cmd.add_option("--timeout", timeout_s, "total timeout per request, seconds (0.1..3600)");
  cmd.add_option("--page-size", page_size, "answers per listing page (1..100)");
  cmd.add_option("--retries", retries, "retries of transient failures (0..10)");
  cmd.add_option("--delay", delay_s, "minimum seconds between requests to the host (0..3600)");
}

bool FetchFlags::ApplyTo(std::string_view verb, config::Config& c) const {
  if (backend) c.fetch.backend = *backend;
  if (cookie) c.zhihu.cookie = *cookie;
  if (cookies_file) c.fetch.cookies_file = *cookies_file;
  if (user_agent) c.fetch.user_agent = c.fetch.browser_user_agent = *user_agent;
  if (page_size) c.zhihu.page_size = *page_size;
  if (retries) c.fetch.retries = *retries;
  return (!timeout_s ||
          SecondsOption(verb, "--timeout", "fetch.timeout", *timeout_s, &c.fetch.timeout)) &&
         (!delay_s ||
          SecondsOption(verb, "--delay", "fetch.per_host_delay", *delay_s, &c.fetch.per_host_delay));
}

void FetchFlags::AddGiven(std::map<std::string, std::string>& out) const {
  auto given = [&](bool set, const char* key, const char* flag) {
    if (set) out[key] = flag;
  };
  given(backend.has_value(), "fetch.backend", "--backend");
  given(cookie.has_value(), "zhihu.cookie", "--cookie");
  given(cookies_file.has_value(), "fetch.cookies_file", "--cookies-file");
  given(user_agent.has_value(), "fetch.user_agent", "--user-agent");
  given(timeout_s.has_value(), "fetch.timeout", "--timeout");
  given(delay_s.has_value(), "fetch.per_host_delay", "--delay");
  given(page_size.has_value(), "zhihu.page_size", "--page-size");
  given(retries.has_value(), "fetch.retries", "--retries");
}

}  // namespace archivist::cli
