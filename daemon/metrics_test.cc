#include "daemon/metrics.h"

#include <gtest/gtest.h>

namespace archivist::daemon {
namespace {

using std::chrono::seconds;

bool Has(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(Metrics, PrometheusTextCountsEverything) {
  Metrics m("/nonexistent/archive.db");
  const auto t0 = std::chrono::steady_clock::time_point(std::chrono::hours(1));
  m.Beat(t0);
  pipeline::RefreshSummary a;
  a.outcome = model::Outcome::kComplete;
  a.added = 3;
  a.edited = 1;
  a.fetch_duration = std::chrono::milliseconds(300);
  m.RecordRefresh(a);
  pipeline::RefreshSummary b;
  b.outcome = model::Outcome::kRateLimited;
  b.fetch_duration = std::chrono::milliseconds(7000);
  m.RecordRefresh(b);
  m.RecordRefresh(b);
  m.SetGauges(10, 2, 1, 3);
  m.RecordDiscovery(true, 4);
  const std::string text = m.RenderPrometheus(t0, seconds(30));
  EXPECT_TRUE(Has(text, "archivist_up 1"));
  EXPECT_TRUE(Has(text, "archivist_refreshes_total{outcome=\"complete\"} 1"));
  EXPECT_TRUE(Has(text, "archivist_refreshes_total{outcome=\"rate_limited\"} 2"));
  EXPECT_TRUE(Has(text, "archivist_events_total{kind=\"answer_added\"} 3"));
  EXPECT_TRUE(Has(text, "archivist_events_total{kind=\"answer_edited\"} 1"));
  EXPECT_TRUE(Has(text, "archivist_events_total{kind=\"answer_deleted\"} 0"));
  EXPECT_TRUE(Has(text, "archivist_threads_tracked 10"));
  EXPECT_TRUE(Has(text, "archivist_threads_due 2"));
  EXPECT_TRUE(Has(text, "archivist_threads_failing 1"));
  EXPECT_TRUE(Has(text, "archivist_refreshes_in_flight 3"));
  EXPECT_TRUE(Has(text, "archivist_fetch_duration_seconds_bucket{le=\"0.25\"} 0"));
  EXPECT_TRUE(Has(text, "archivist_fetch_duration_seconds_bucket{le=\"0.5\"} 1"));
  EXPECT_TRUE(Has(text, "archivist_fetch_duration_seconds_bucket{le=\"5\"} 1"));
  EXPECT_TRUE(Has(text, "archivist_fetch_duration_seconds_bucket{le=\"10\"} 3"));
  EXPECT_TRUE(Has(text, "archivist_fetch_duration_seconds_bucket{le=\"+Inf\"} 3"));
  EXPECT_TRUE(Has(text, "archivist_fetch_duration_seconds_sum 14.3"));
  EXPECT_TRUE(Has(text, "archivist_fetch_duration_seconds_count 3"));
  EXPECT_TRUE(Has(text, "archivist_store_size_bytes 0"));
  EXPECT_TRUE(Has(text, "archivist_threads_discovered_total 4"));
  EXPECT_TRUE(Has(text, "# TYPE archivist_fetch_duration_seconds histogram"));
}

TEST(Metrics, HealthSaysWhy) {
  Metrics m("x.db");
  const auto t0 = std::chrono::steady_clock::time_point(std::chrono::hours(1));
  EXPECT_EQ(m.HealthAt(t0, seconds(30)).reason, "event loop not started");
  m.Beat(t0);
  EXPECT_TRUE(m.HealthAt(t0 + seconds(30), seconds(30)).ok);
  Health stalled = m.HealthAt(t0 + seconds(42), seconds(30));
  EXPECT_FALSE(stalled.ok);
  EXPECT_EQ(stalled.reason, "event loop stalled for 42s");
  m.SetStoreProblem("disk I/O error");
  EXPECT_EQ(m.HealthAt(t0, seconds(30)).reason, "store not writable: disk I/O error");
  EXPECT_TRUE(Has(m.RenderPrometheus(t0, seconds(30)), "archivist_up 0"));
  m.SetStoreProblem("");
  EXPECT_TRUE(m.HealthAt(t0, seconds(30)).ok);
  m.SetStopping();
  EXPECT_EQ(m.HealthAt(t0, seconds(30)).reason, "stopping");
}

TEST(Metrics, ADamagedArchiveStaysUnhealthy) {
  Metrics m("x.db");
  const auto t0 = std::chrono::steady_clock::time_point(std::chrono::hours(1));
  m.Beat(t0);
  EXPECT_TRUE(Has(m.RenderPrometheus(t0, seconds(30)), "archivist_archive_damaged 0"));
  m.SetArchiveDamaged("x.db: database disk image is malformed");
  m.SetArchiveDamaged("a later, second report");
  m.SetStoreProblem("");  // a later successful write does not make it healthy again
  const Health h = m.HealthAt(t0, seconds(30));
  EXPECT_FALSE(h.ok);
  EXPECT_EQ(h.reason, "archive damaged: x.db: database disk image is malformed");
  const std::string text = m.RenderPrometheus(t0, seconds(30));
  EXPECT_TRUE(Has(text, "archivist_archive_damaged 1"));
  EXPECT_TRUE(Has(text, "archivist_up 0"));
}

TEST(Metrics, BrowserCountsAndABrowserThatCannotStart) {
  Metrics m("x.db");
  const auto t0 = std::chrono::steady_clock::time_point(std::chrono::hours(1));
  m.Beat(t0);
  EXPECT_TRUE(Has(m.RenderPrometheus(t0, seconds(30)), "archivist_browser_starts_total 0"));
  BrowserMetrics b;
  b.starts = 2;
  b.crashes = 1;
  b.page_loads = 17;
  b.requests_blocked = 5;
  b.start_error = "browser 'chromium' is not on PATH";
  m.SetBrowserSource([&b] { return b; });
  // The http backend does not judge the browser.
  EXPECT_TRUE(m.HealthAt(t0, seconds(30)).ok);
  b.backend_is_browser = true;
  Health h = m.HealthAt(t0, seconds(30));
  EXPECT_FALSE(h.ok);
  EXPECT_EQ(h.reason, "browser cannot start: browser 'chromium' is not on PATH");
  const std::string text = m.RenderPrometheus(t0, seconds(30));
  EXPECT_TRUE(Has(text, "archivist_up 0"));
  EXPECT_TRUE(Has(text, "archivist_browser_starts_total 2"));
  EXPECT_TRUE(Has(text, "archivist_browser_crashes_total 1"));
  EXPECT_TRUE(Has(text, "archivist_browser_page_loads_total 17"));
  EXPECT_TRUE(Has(text, "archivist_browser_requests_blocked_total 5"));
  EXPECT_TRUE(Has(text, "# TYPE archivist_browser_starts_total counter"));
  b.start_error.clear();  // a later start succeeded
  EXPECT_TRUE(m.HealthAt(t0, seconds(30)).ok);
}

TEST(Metrics, RetriesWaitsAndStalledHosts) {
  Metrics m("/nonexistent/archive.db");
  const auto t0 = std::chrono::steady_clock::time_point(std::chrono::hours(1));
  m.Beat(t0);
  m.RequestStarted("a.test", t0);
  m.RequestStarted("b.test", t0);
  m.RequestEnded("b.test", t0, "429", true);
  m.RecordRetry("http_429");
  m.RecordWait("backoff", 20);
  m.RecordWait("politeness", 1.5);
  // a.test: a request in flight for 16 s is a stall; b.test: one failure is not.
  std::vector<HostState> hosts = m.Hosts(t0 + seconds(16));
  ASSERT_EQ(hosts.size(), 2u);
  EXPECT_TRUE(hosts[0].stalled);
  EXPECT_EQ(hosts[0].Describe(), "a.test: a request in flight for 16s");
  EXPECT_FALSE(hosts[1].stalled);
  EXPECT_EQ(hosts[1].Describe(), "b.test: 1 failed attempts in a row");
  const std::string text = m.RenderPrometheus(t0 + seconds(16), seconds(60));
  EXPECT_TRUE(Has(text, "archivist_fetch_retries_total{reason=\"http_429\"} 1")) << text;
  EXPECT_TRUE(Has(text, "archivist_http_responses_total{status=\"429\"} 1")) << text;
  EXPECT_TRUE(Has(text, "archivist_fetch_wait_seconds_total{kind=\"backoff\"} 20")) << text;
  EXPECT_TRUE(Has(text, "archivist_fetch_wait_seconds_total{kind=\"politeness\"} 1.5")) << text;
  EXPECT_TRUE(Has(text, "archivist_host_request_in_flight_seconds{host=\"a.test\"} 16")) << text;
  EXPECT_TRUE(Has(text, "archivist_host_consecutive_failures{host=\"b.test\"} 1")) << text;
  EXPECT_TRUE(Has(text, "archivist_hosts_stalled 1")) << text;
  // A stall is told once when it begins and once when it ends.
  std::vector<HostState> changed = m.StallChanges(t0 + seconds(16));
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].host, "a.test");
  EXPECT_TRUE(m.StallChanges(t0 + seconds(17)).empty());
  m.RequestEnded("a.test", t0, "200", false);
  for (int i = 0; i < 2; ++i) m.RequestEnded("b.test", t0, "503", true);
  changed = m.StallChanges(t0 + seconds(18));
  ASSERT_EQ(changed.size(), 2u);
  EXPECT_FALSE(changed[0].stalled);  // a.test answered
  EXPECT_TRUE(changed[1].stalled);   // b.test: 3 failures in a row
  EXPECT_EQ(changed[1].Describe(), "b.test: 3 failed attempts in a row");
}

// Claims are counted, and the archive's location shows only with its password redacted.
TEST(Metrics, ClaimsAndTheArchiveWithoutItsPassword) {
  Metrics m("postgresql://archivist:hunter2-secret@db.example/archive?sslmode=require");
  m.SetDaemonId("host-1-abc");
  m.RecordClaims(5, 2, 1);
  m.RecordRelease(true);
  m.RecordRelease(false);
  m.SetThreadsHeld(3);
  const std::string text =
      m.RenderPrometheus(std::chrono::steady_clock::time_point(std::chrono::hours(1)),
                         std::chrono::seconds(30));
  EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
  EXPECT_NE(text.find("archivist_daemon_info{id=\"host-1-abc\",store=\"postgresql://archivist:***@db.example/archive"),
            std::string::npos) << text;
  EXPECT_NE(text.find("archivist_claims_total{result=\"claimed\"} 5\n"), std::string::npos);
  EXPECT_NE(text.find("archivist_claims_total{result=\"refused\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("archivist_claim_takeovers_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("archivist_claim_releases_total 2\n"), std::string::npos);
  EXPECT_NE(text.find("archivist_lease_expiries_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("archivist_threads_held 3\n"), std::string::npos);
}

}  // namespace
}  // namespace archivist::daemon
