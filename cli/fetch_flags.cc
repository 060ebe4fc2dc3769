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
  cmd.add_option("--timeout", timeout_s, "total timeout per request, seconds")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--page-size", page_size, "answers per listing page (1..100)");
  cmd.add_option("--retries", retries, "retries of transient failures")
      ->check(CLI::NonNegativeNumber);
  cmd.add_option("--delay", delay_s, "minimum seconds between requests to the host")
      ->check(CLI::NonNegativeNumber);
}

void FetchFlags::ApplyTo(config::Config& c) const {
  if (backend) c.fetch.backend = *backend;
  if (cookie) c.zhihu.cookie = *cookie;
  if (cookies_file) c.fetch.cookies_file = *cookies_file;
  if (user_agent) c.fetch.user_agent = c.fetch.browser_user_agent = *user_agent;
  if (timeout_s) c.fetch.timeout = Millis(*timeout_s);
  if (page_size) c.zhihu.page_size = *page_size;
  if (delay_s) c.fetch.per_host_delay = Millis(*delay_s);
}

void FetchFlags::ApplyTo(pipeline::FetchSettings& s) const {
  if (retries) s.retry.max_attempts = *retries + 1;
}

}  // namespace archivist::cli
