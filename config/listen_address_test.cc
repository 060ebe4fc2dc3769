#include "config/listen_address.h"

#include <gtest/gtest.h>

namespace archivist::config {
namespace {

ListenAddress Ok(std::string_view text) {
  Result<ListenAddress> a = ParseListenAddress(text);
  EXPECT_TRUE(a.ok()) << text << ": " << a.status().ToString();
  return a.ok() ? *a : ListenAddress{};
}

std::string Error(std::string_view text) {
  Result<ListenAddress> a = ParseListenAddress(text);
  EXPECT_FALSE(a.ok()) << text;
  return a.ok() ? "" : a.status().message();
}

TEST(ListenAddressTest, LoopbackAddresses) {
  ListenAddress a = Ok("127.0.0.1:9184");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 9184);
  EXPECT_TRUE(a.loopback);
  EXPECT_FALSE(a.ipv6 || a.any);
  EXPECT_EQ(a.ToString(), "127.0.0.1:9184");
  EXPECT_TRUE(Ok("127.8.9.10:1").loopback);
  ListenAddress v6 = Ok("[::1]:0");
  EXPECT_TRUE(v6.ipv6 && v6.loopback);
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.WithPort(4242), "[::1]:4242");
  EXPECT_TRUE(Ok("[::ffff:127.0.0.1]:80").loopback);
  EXPECT_EQ(ExposureWarning(a), "");
}

TEST(ListenAddressTest, LocalhostMeans127001) {
  ListenAddress a = Ok("localhost:9184");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_TRUE(a.loopback);
  EXPECT_EQ(a.ToString(), "127.0.0.1:9184");
}

TEST(ListenAddressTest, EveryInterfaceAndOtherAddressesAreNotLoopback) {
  for (const char* text : {"0.0.0.0:9184", "[::]:9184", "192.168.1.5:9184", "[2001:db8::1]:1",
                           "[::ffff:10.0.0.1]:80"}) {
    ListenAddress a = Ok(text);
    EXPECT_FALSE(a.loopback) << text;
    const std::string w = ExposureWarning(a);
    EXPECT_NE(w.find(a.ToString()), std::string::npos) << w;
    EXPECT_NE(w.find("without authentication"), std::string::npos) << w;
  }
  EXPECT_TRUE(Ok("0.0.0.0:1").any);
  EXPECT_TRUE(Ok("[::]:1").any);
  EXPECT_NE(ExposureWarning(Ok("[::]:9184")).find("every network interface"), std::string::npos);
}

TEST(ListenAddressTest, BadAddressesSayWhatIsWrong) {
  EXPECT_NE(Error("localhost").find("not HOST:PORT"), std::string::npos);
  EXPECT_NE(Error(":9184").find("not HOST:PORT"), std::string::npos);
  EXPECT_NE(Error("127.0.0.1:").find("port must be a number from 0 to 65535"), std::string::npos);
  EXPECT_NE(Error("127.0.0.1:65536").find("0 to 65535"), std::string::npos);
  EXPECT_NE(Error("127.0.0.1:99999999999").find("0 to 65535"), std::string::npos);
  EXPECT_NE(Error("127.0.0.1:-1").find("0 to 65535"), std::string::npos);
  EXPECT_NE(Error("example.com:9184").find("\"example.com\" is not an IP address"),
            std::string::npos);
  EXPECT_NE(Error("127.1:9184").find("is not an IP address"), std::string::npos);
  EXPECT_NE(Error("::1:9184").find("needs brackets"), std::string::npos);
  EXPECT_NE(Error("[::1]9184").find("not HOST:PORT"), std::string::npos);
  EXPECT_NE(Error("[localhost]:9184").find("is not an IPv6 address"), std::string::npos);
  EXPECT_NE(Error("[127.0.0.1]:9184").find("is not an IPv6 address"), std::string::npos);
  EXPECT_EQ(Error("x:1").rfind("\"x:1\": ", 0), 0u);  // names the text first
}

}  // namespace
}  // namespace archivist::config
