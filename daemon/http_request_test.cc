#include "daemon/http_request.h"

#include <gtest/gtest.h>

namespace archivist::daemon {
namespace {

TEST(ParseRequestHeadTest, MethodAndPathWithoutQuery) {
  RequestLine r = ParseRequestHead("GET /metrics?x=1 HTTP/1.0\r\nHost: a\r\n\r\n");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/metrics");
  r = ParseRequestHead("  POST\t/healthz HTTP/1.1\r\n\r\n");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/healthz");
}

TEST(ParseRequestHeadTest, MissingPartsAreEmpty) {
  EXPECT_EQ(ParseRequestHead("").method, "");
  EXPECT_EQ(ParseRequestHead("\r\n\r\n").path, "");
  RequestLine r = ParseRequestHead("GET\r\n\r\n");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "");
  r = ParseRequestHead(std::string("GET /a\0b HTTP/1.0", 17));
  EXPECT_EQ(r.path, std::string("/a\0b", 4));
}

}  // namespace
}  // namespace archivist::daemon
