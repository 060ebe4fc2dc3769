#include "daemon/logging.h"

#include <gtest/gtest.h>

namespace archivist::daemon {
namespace {

TEST(FormatRefresh, OneLineFromTheSummary) {
  pipeline::RefreshSummary s;
  s.outcome = model::Outcome::kComplete;
  s.pages = 3;
  s.answers_now = 40;
  s.added = 1;
  s.edited = 2;
  s.fetch_duration = std::chrono::milliseconds(812);
  const RefreshLine line = FormatRefresh({"zhihu", 123}, s, 5400);
  EXPECT_EQ(line.text,
            "refresh zhihu:123 complete http=200 pages=3 answers=40 events=3 "
            "(answer_added=1 answer_edited=2) fetch=812ms next_in=5400s");
  EXPECT_FALSE(line.warning);
}

TEST(FormatRefresh, FailuresAndExportErrorsAreWarnings) {
  pipeline::RefreshSummary s;
  s.outcome = model::Outcome::kRateLimited;
  s.fetch_error.http_status = 429;
  s.fetch_error.message = "too many requests";
  RefreshLine line = FormatRefresh({"zhihu", 7}, s, 30);
  EXPECT_EQ(line.text,
            "refresh zhihu:7 rate_limited http=429 pages=0 answers=0 events=0 (none) fetch=0ms "
            "next_in=30s error=too many requests");
  EXPECT_TRUE(line.warning);
  pipeline::RefreshSummary exported;
  exported.outcome = model::Outcome::kComplete;
  exported.export_error = Status::IoError("disk full");
  line = FormatRefresh({"zhihu", 7}, exported, 30);
  EXPECT_NE(line.text.find(" error=I/O error: export: disk full"), std::string::npos) << line.text;
  EXPECT_TRUE(line.warning);
}

}  // namespace
}  // namespace archivist::daemon
