// The daemon's log: every message is one line, with server text unable to drive a terminal.
#include "daemon/logging.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace archivist::daemon {
namespace {

TEST(LoggingTest, AMessageIsOneLineWithItsControlCharactersEscaped) {
  ASSERT_EQ(SetUpLogging(), LogTarget::kStderr);
  testing::internal::CaptureStderr();
  spdlog::warn("refresh zhihu:1 invalid_response error={}",
               "boom\x1b]0;pwned\x07\r\n2026-01-01T00:00:00.000 info refresh zhihu:2 complete");
  const std::string out = testing::internal::GetCapturedStderr();
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos) << out;
  EXPECT_NE(out.find(" warning refresh zhihu:1 invalid_response error=boom\\x1b]0;pwned\\x07\\r\\n"
                     "2026-01-01T00:00:00.000 info refresh zhihu:2 complete\n"),
            std::string::npos) << out;
}

}  // namespace
}  // namespace archivist::daemon
