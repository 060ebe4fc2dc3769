#include "browser/cookies.h"

#include <gtest/gtest.h>

#include "browser/base64.h"

namespace archivist::browser {
namespace {

TEST(CookiesTest, NetscapeFileKeepsOnlyTheBaseHostsCookies) {
  const std::string file =
      "# Netscape HTTP Cookie File\n"
      "\n"
      ".zhihu.com\tTRUE\t/\tTRUE\t1893456000\tz_c0\t2|1:0|token\n"
      "#HttpOnly_www.zhihu.com\tFALSE\t/\tFALSE\t0\t_xsrf\tabc\r\n"
      "zhuanlan.zhihu.com\tFALSE\t/\tFALSE\t0\tother\tx\n"
      ".example.com\tTRUE\t/\tFALSE\t0\tforeign\ty\n"
      "www.zhihu.com\tFALSE\t/api\tFALSE\t0\tempty\n";
  auto cookies = ParseCookiesFile(file, "www.zhihu.com", "cookies.txt");
  ASSERT_TRUE(cookies.ok()) << cookies.status().ToString();
  ASSERT_EQ(cookies->size(), 3u);
  const Cookie& z = (*cookies)[0];
  EXPECT_EQ(z.name, "z_c0");
  EXPECT_EQ(z.value, "2|1:0|token");
  EXPECT_EQ(z.domain, ".zhihu.com");
  EXPECT_TRUE(z.secure);
  EXPECT_EQ(z.expires, 1893456000);
  const Cookie& x = (*cookies)[1];
  EXPECT_EQ(x.name, "_xsrf");
  EXPECT_TRUE(x.http_only);
  EXPECT_EQ(x.domain, "");  // host-only: set for the base URL
  EXPECT_EQ(x.expires, 0);
  EXPECT_EQ((*cookies)[2].name, "empty");
  EXPECT_EQ((*cookies)[2].value, "");
  EXPECT_EQ((*cookies)[2].path, "/api");
}

TEST(CookiesTest, ErrorsNameTheFileAndLine) {
  auto bad = ParseCookiesFile("# c\nwww.zhihu.com\tTRUE\t/\n", "www.zhihu.com", "c.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("c.txt:2"), std::string::npos) << bad.status().message();
  bad = ParseCookiesFile("www.zhihu.com\tyes\t/\tFALSE\t0\ta\tb\n", "www.zhihu.com", "c.txt");
  EXPECT_NE(bad.status().message().find("TRUE or FALSE"), std::string::npos);
  bad = ParseCookiesFile("www.zhihu.com\tTRUE\t/\tFALSE\tsoon\ta\tb\n", "www.zhihu.com", "c.txt");
  EXPECT_NE(bad.status().message().find("'soon'"), std::string::npos);
  auto missing = ReadCookiesFile("/nonexistent/cookies.txt", "www.zhihu.com");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/cookies.txt"), std::string::npos);
}

TEST(CookiesTest, CookieHeader) {
  auto c = ParseCookieHeader(" d_c0=A1|2 ; z_c0=tok;novalue; =x;  a=b=c ");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].name, "d_c0");
  EXPECT_EQ(c[0].value, "A1|2");
  EXPECT_EQ(c[1].name, "z_c0");
  EXPECT_EQ(c[2].name, "a");
  EXPECT_EQ(c[2].value, "b=c");
  EXPECT_TRUE(c[0].domain.empty());
}

TEST(CookiesTest, HostNameOf) {
  EXPECT_EQ(HostNameOf("https://WWW.zhihu.com:443/x"), "www.zhihu.com");
  EXPECT_EQ(HostNameOf("http://127.0.0.1:8080"), "127.0.0.1");
  EXPECT_EQ(HostNameOf("http://[::1]:8080/"), "::1");
  EXPECT_EQ(HostNameOf("zhihu"), "");
}

TEST(Base64Test, Decodes) {
  EXPECT_EQ(DecodeBase64("aGVsbG8="), "hello");
  EXPECT_EQ(DecodeBase64("aGVsbG8h"), "hello!");
  EXPECT_EQ(DecodeBase64("aGk="), "hi");
  EXPECT_EQ(DecodeBase64("aA=="), "h");
  EXPECT_EQ(DecodeBase64(""), "");
  EXPECT_FALSE(DecodeBase64("aGk"));
  EXPECT_FALSE(DecodeBase64("a=Gk"));
  EXPECT_FALSE(DecodeBase64("aG k"));
}

}  // namespace
}  // namespace archivist::browser
