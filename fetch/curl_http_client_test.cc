// CurlHttpClient::Create's refusals (no transfer is made; the transfers themselves are tested
// against the mock server in tests/e2e/fetch_mock_test.cc).
#include "fetch/curl_http_client.h"

#include <gtest/gtest.h>

namespace archivist::fetch {
namespace {

std::string CreateError(const CurlOptions& o) {
  auto c = CurlHttpClient::Create(o);
  return c.ok() ? "" : c.status().message();
}

TEST(CurlHttpClientTest, HeaderValuesWithControlCharactersAreRefused) {
  CurlOptions o;
  o.user_agent = "ua\r\nX-Evil: 1";
  EXPECT_EQ(CreateError(o), "the User-Agent header contains a control character (0x0d) at byte 2");
  o = CurlOptions{};
  o.cookie = "z_c0=1\nX-Evil: 1";
  o.cookie_url = "https://www.zhihu.com";
  EXPECT_EQ(CreateError(o), "the Cookie header contains a control character (0x0a) at byte 6");
  o = CurlOptions{};
  o.headers = {{"X-A", "b\r\nX-Evil: 1"}};
  EXPECT_EQ(CreateError(o), "header 'X-A' has a control character (0x0d) at byte 1");
  o.headers = {{"X-A\r\nX-Evil", "1"}};
  EXPECT_NE(CreateError(o).find("not allowed in a header name"), std::string::npos);
  o.headers = {{"X-A", "fine; Mozilla/5.0 中文"}};
  EXPECT_EQ(CreateError(o), "");
}

TEST(CurlHttpClientTest, ACookieNeedsTheUrlItBelongsTo) {
  CurlOptions o;
  o.cookie = "z_c0=1";
  EXPECT_NE(CreateError(o).find("the cookie's URL ''"), std::string::npos);
  o.cookie_url = "ftp://www.zhihu.com";
  EXPECT_NE(CreateError(o).find("is not an absolute http(s) URL"), std::string::npos);
  o.cookie_url = "https://www.zhihu.com";
  EXPECT_EQ(CreateError(o), "");
}

}  // namespace
}  // namespace archivist::fetch
