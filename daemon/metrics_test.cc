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

}  // namespace
}  // namespace archivist::daemon
