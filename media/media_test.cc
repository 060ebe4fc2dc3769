// The media module's pure parts: the hash, which URLs are fetched, the base URL for tests,
// file names, and what each response means for an image.
#include <gtest/gtest.h>

#include "media/media_step.h"
#include "media/media_urls.h"
#include "media/sha256.h"

namespace archivist::media {
namespace {

using store::MediaStatus;

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(IsSha256Hex(Sha256Hex("x")));
  EXPECT_FALSE(IsSha256Hex("../etc/passwd"));
  EXPECT_FALSE(IsSha256Hex(std::string(64, 'A')));
}

TEST(MediaUrlsTest, OnlyHttpsOnConfiguredHosts) {
  const std::vector<std::string> hosts = {"*.zhimg.com", "img.example"};
  EXPECT_TRUE(AllowedImageUrl("https://pic1.zhimg.com/v2-a_r.jpg?source=1", hosts));
  EXPECT_TRUE(AllowedImageUrl("https://PICX.ZHIMG.COM/a.png", hosts));
  EXPECT_TRUE(AllowedImageUrl("https://img.example/a.png", hosts));
  EXPECT_FALSE(AllowedImageUrl("http://pic1.zhimg.com/a.jpg", hosts));
  EXPECT_FALSE(AllowedImageUrl("https://zhimg.com/a.jpg", hosts));
  EXPECT_FALSE(AllowedImageUrl("https://evil-zhimg.com/a.jpg", hosts));
  EXPECT_FALSE(AllowedImageUrl("https://pic1.zhimg.com.evil.test/a.jpg", hosts));
  EXPECT_FALSE(AllowedImageUrl("https://pic1.zhimg.com:8443/a.jpg", hosts));
  EXPECT_FALSE(AllowedImageUrl("https://u:p@pic1.zhimg.com/a.jpg", hosts));
  EXPECT_FALSE(AllowedImageUrl("data:image/png;base64,AAAA", hosts));
  EXPECT_FALSE(AllowedImageUrl("https://sub.img.example/a.png", hosts));
  const std::string path = "https://pic1.zhimg.com/";
  EXPECT_TRUE(AllowedImageUrl(path + std::string(kMaxImageUrlBytes - path.size(), 'a'), hosts));
  EXPECT_FALSE(AllowedImageUrl(path + std::string(kMaxImageUrlBytes, 'a'), hosts));
}

TEST(MediaUrlsTest, BaseUrlKeepsPathAndQuery) {
  EXPECT_EQ(WithBaseUrl("https://pic1.zhimg.com/v2-a_r.jpg?source=1", "http://127.0.0.1:8080/"),
            "http://127.0.0.1:8080/v2-a_r.jpg?source=1");
  EXPECT_EQ(WithBaseUrl("https://pic1.zhimg.com", "http://h"), "http://h");
  EXPECT_EQ(WithBaseUrl("https://pic1.zhimg.com/a", ""), "https://pic1.zhimg.com/a");
}

TEST(MediaUrlsTest, FileNames) {
  EXPECT_EQ(MediaFileName("ab", "image/jpeg"), "ab.jpg");
  EXPECT_EQ(MediaFileName("ab", "image/png"), "ab.png");
  EXPECT_EQ(MediaFileName("ab", "image/x-unknown"), "ab.bin");
}

fetch::HttpResponse Response(int status, std::string type, std::string body) {
  fetch::HttpResponse r;
  r.status = status;
  if (!type.empty()) r.headers.push_back({"content-type", type});
  r.body = std::move(body);
  return r;
}

TEST(MediaClassifyTest, EachResponseHasItsStatus) {
  const Timestamp now = Timestamp::FromSeconds(1000);
  const std::string u = "https://pic1.zhimg.com/a.jpg";
  store::MediaFetchRecord ok = Classify(u, Response(200, "Image/JPEG; x=y", "\xff\xd8"), 0, 100, now);
  EXPECT_EQ(ok.status, MediaStatus::kStored);
  EXPECT_EQ(ok.media_type, "image/jpeg");
  EXPECT_EQ(ok.sha256, Sha256Hex("\xff\xd8"));
  EXPECT_EQ(Classify(u, Response(404, "", ""), 0, 100, now).status, MediaStatus::kNotFound);
  EXPECT_EQ(Classify(u, Response(403, "", ""), 0, 100, now).status, MediaStatus::kForbidden);
  const auto html = Classify(u, Response(200, "text/html", "<p>"), 0, 100, now);
  EXPECT_EQ(html.status, MediaStatus::kFailed);
  EXPECT_NE(html.reason.find("not an image"), std::string::npos);
  EXPECT_EQ(Classify(u, Response(200, "image/png", std::string(101, 'x')), 0, 100, now).status,
            MediaStatus::kTooLarge);
  fetch::HttpResponse big;
  big.error = fetch::TransportError::kTooLarge;
  EXPECT_EQ(Classify(u, big, 0, 100, now).status, MediaStatus::kTooLarge);
  fetch::HttpResponse moved = Response(302, "", "");
  moved.redirect_refused = "https://elsewhere.test/a.jpg";
  const auto redirect = Classify(u, moved, 0, 100, now);
  EXPECT_EQ(redirect.status, MediaStatus::kFailed);
  EXPECT_NE(redirect.reason.find("another host"), std::string::npos);
}

TEST(MediaClassifyTest, TransientFailuresBackOffThenGiveUp) {
  const Timestamp now = Timestamp::FromSeconds(1000);
  fetch::HttpResponse slow;
  slow.error = fetch::TransportError::kTimeout;
  const auto first = Classify("u", slow, 0, 100, now);
  EXPECT_EQ(first.status, MediaStatus::kPending);
  ASSERT_TRUE(first.next_try);
  EXPECT_EQ(first.next_try->micros() - now.micros(), 600'000'000);
  const auto second = Classify("u", slow, 1, 100, now);
  EXPECT_EQ(second.next_try->micros() - now.micros(), 2'400'000'000);
  EXPECT_EQ(Classify("u", Response(503, "", ""), 2, 100, now).status, MediaStatus::kPending);
  const auto last = Classify("u", slow, kMaxAttempts - 1, 100, now);
  EXPECT_EQ(last.status, MediaStatus::kFailed);
  EXPECT_NE(last.reason.find("gave up"), std::string::npos);
}

}  // namespace
}  // namespace archivist::media
