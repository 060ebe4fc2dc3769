#include "fetch/url_origin.h"

#include <gtest/gtest.h>

namespace archivist::fetch {
namespace {

TEST(OriginTest, SchemeHostAndPortAsLibcurlReadsThem) {
  auto o = OriginOf("HTTPS://WWW.Zhihu.com/api/v4/questions/1?x=1#f");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->scheme, "https");
  EXPECT_EQ(o->host, "www.zhihu.com");
  EXPECT_EQ(o->port, 443);
  EXPECT_EQ(o->ToString(), "https://www.zhihu.com");
  EXPECT_EQ(OriginOf("https://www.zhihu.com:443/"), o);
  EXPECT_EQ(OriginOf("http://127.0.0.1:8080/x")->ToString(), "http://127.0.0.1:8080");
  EXPECT_EQ(OriginOf("http://[::1]:9/")->host, "[::1]");
}

TEST(OriginTest, NoOriginForOtherSchemesUserInfoOrRelativeUrls) {
  EXPECT_FALSE(OriginOf("ftp://www.zhihu.com/"));
  EXPECT_FALSE(OriginOf("file:///etc/passwd"));
  EXPECT_FALSE(OriginOf("/api/v4/questions/1"));
  EXPECT_FALSE(OriginOf("https://user:pw@www.zhihu.com/"));
  EXPECT_FALSE(OriginOf("https://www.zhihu.com@169.254.169.254/"));
  EXPECT_FALSE(OriginOf(std::string("https://a.test\0.evil/", 21)));
  EXPECT_FALSE(OriginOf(""));
}

TEST(OriginTest, WithinOriginKeepsSchemeHostAndPort) {
  const Origin base = *OriginOf("https://www.zhihu.com");
  EXPECT_EQ(WithinOrigin("https://www.zhihu.com/api/v4/x?offset=5", base),
            "https://www.zhihu.com/api/v4/x?offset=5");
  EXPECT_FALSE(WithinOrigin("https://zhihu.com/api/v4/x", base));
  EXPECT_FALSE(WithinOrigin("https://www.zhihu.com.evil.test/x", base));
  EXPECT_FALSE(WithinOrigin("https://www.zhihu.com:8443/x", base));
  EXPECT_FALSE(WithinOrigin("http://169.254.169.254/latest/meta-data", base));
  // http on the same host is taken over https; an explicit port is not.
  EXPECT_EQ(WithinOrigin("http://www.zhihu.com/api/v4/x?a=1", base), "https://www.zhihu.com/api/v4/x?a=1");
  EXPECT_FALSE(WithinOrigin("http://www.zhihu.com:80/x", base));
  // Never a downgrade: from an http base only the same http origin.
  const Origin local = *OriginOf("http://127.0.0.1:5000");
  EXPECT_TRUE(WithinOrigin("http://127.0.0.1:5000/p", local));
  EXPECT_FALSE(WithinOrigin("http://127.0.0.2:5000/p", local));
  EXPECT_FALSE(WithinOrigin("http://127.0.0.1:5001/p", local));
  EXPECT_FALSE(WithinOrigin("https://127.0.0.1:5000/p", local));
}

}  // namespace
}  // namespace archivist::fetch
