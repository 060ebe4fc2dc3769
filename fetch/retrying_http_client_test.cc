// Politeness and retry timings on a FakeClock: no test here sleeps.
#include "fetch/retrying_http_client.h"

#include <gtest/gtest.h>

#include "base/fake_clock.h"
#include "fetch/fake_http_client.h"

namespace archivist::fetch {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Clock::Duration Since0(const FakeHttpClient::Record& r) { return r.at - Clock::SteadyTime{}; }

struct Rig {
  FakeClock clock;
  FakeHttpClient fake;
  Politeness politeness;
  RetryingHttpClient client;
  Rig(PolitenessOptions p, RetryOptions r, FakeHttpClient::Handler h = nullptr)
      : fake(clock, std::move(h)), politeness(clock, p), client(fake, clock, politeness, r) {}
};

PolitenessOptions NoJitter(Clock::Duration delay, int per_host = 1, int global = 4) {
  PolitenessOptions p;
  p.per_host_delay = delay;
  p.jitter = 0;
  p.per_host_concurrency = per_host;
  p.global_concurrency = global;
  return p;
}

RetryOptions Retries(int attempts, double jitter = 0) {
  RetryOptions r;
  r.max_attempts = attempts;
  r.jitter = jitter;
  return r;
}

TEST(ParseRetryAfterTest, SecondsAndDates) {
  const Timestamp now = Timestamp::FromSeconds(1445412480);  // 2015-10-21T07:28:00Z
  EXPECT_EQ(ParseRetryAfter("120", now), seconds(120));
  EXPECT_EQ(ParseRetryAfter(" 0 ", now), seconds(0));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:29:30 GMT", now), seconds(90));
  EXPECT_EQ(ParseRetryAfter("Wednesday, 21-Oct-15 07:28:10 GMT", now), seconds(10));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now), seconds(0));  // past
  EXPECT_EQ(ParseRetryAfter("soon", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("", now), std::nullopt);
}

TEST(PolitenessTest, MinimumDelayBetweenRequestsToOneHost) {
  Rig rig(NoJitter(seconds(2)), Retries(1));
  auto got = rig.client.PerformAll({{"http://a.test/1", {}}, {"http://a.test/2", {}}, {"http://a.test/3", {}}});
  ASSERT_EQ(got.size(), 3u);
  const auto& rec = rig.fake.records();
  ASSERT_EQ(rec.size(), 3u);
  EXPECT_EQ(Since0(rec[0]), seconds(0));
  EXPECT_EQ(Since0(rec[1]), seconds(2));
  EXPECT_EQ(Since0(rec[2]), seconds(4));
  EXPECT_EQ(rec[1].request.url, "http://a.test/2");  // order kept
}

TEST(PolitenessTest, DifferentHostsGoTogetherUpToTheGlobalLimit) {
  Rig rig(NoJitter(seconds(2), 1, /*global=*/2), Retries(1));
  rig.client.PerformAll({{"http://a.test/", {}}, {"http://b.test/", {}}, {"http://c.test/", {}}});
  const auto& rec = rig.fake.records();
  ASSERT_EQ(rec.size(), 3u);
  EXPECT_EQ(rec[0].batch, rec[1].batch);  // a and b at once
  EXPECT_NE(rec[2].batch, rec[0].batch);  // c waits for a slot
  EXPECT_EQ(Since0(rec[2]), seconds(0));  // ... but not for a delay: c.test is fresh
}

TEST(PolitenessTest, PerHostConcurrencyAllowsParallelRequestsWithoutDelay) {
  Rig rig(NoJitter(seconds(0), /*per_host=*/2), Retries(1));
  rig.client.PerformAll({{"http://a.test/1", {}}, {"http://a.test/2", {}}, {"http://a.test/3", {}}});
  const auto& rec = rig.fake.records();
  ASSERT_EQ(rec.size(), 3u);
  EXPECT_EQ(rec[0].batch, rec[1].batch);
  EXPECT_NE(rec[2].batch, rec[1].batch);
}

TEST(PolitenessTest, JitterStretchesTheDelayWithinBounds) {
  PolitenessOptions p = NoJitter(seconds(2));
  p.jitter = 0.5;
  Rig rig(p, Retries(1));
  std::vector<HttpRequest> reqs(20, HttpRequest{"http://a.test/", {}});
  rig.client.PerformAll(reqs);
  const auto& rec = rig.fake.records();
  bool varied = false;
  for (size_t i = 1; i < rec.size(); ++i) {
    const auto gap = rec[i].at - rec[i - 1].at;
    EXPECT_GE(gap, seconds(2));
    EXPECT_LE(gap, seconds(3));
    varied |= gap != rec[1].at - rec[0].at;
  }
  EXPECT_TRUE(varied);
}

TEST(RetryTest, TransientFailuresBackOffExponentially) {
  Rig rig(NoJitter(seconds(0)), Retries(4));
  rig.fake.Route("http://a.test/", {JsonResponse(503, "{}"), TransportFailure(TransportError::kTimeout),
                                   TransportFailure(TransportError::kReset), JsonResponse(200, "{}")});
  HttpResponse r = rig.client.Perform({"http://a.test/", {}});
  EXPECT_EQ(r.status, 200);
  const auto& rec = rig.fake.records();
  ASSERT_EQ(rec.size(), 4u);
  EXPECT_EQ(Since0(rec[1]), seconds(1));  // base
  EXPECT_EQ(Since0(rec[2]), seconds(3));  // + 2
  EXPECT_EQ(Since0(rec[3]), seconds(7));  // + 4
  EXPECT_EQ(rig.client.last_attempts(), 4);
}

TEST(RetryTest, BackoffIsCappedAndJittered) {
  RetryOptions r = Retries(6, /*jitter=*/0.5);
  r.max_backoff = seconds(3);
  Rig rig(NoJitter(seconds(0)), r);
  rig.fake.Route("http://a.test/", {JsonResponse(500, "{}")});
  HttpResponse got = rig.client.Perform({"http://a.test/", {}});
  EXPECT_EQ(got.status, 500);  // gave up after max_attempts
  const auto& rec = rig.fake.records();
  ASSERT_EQ(rec.size(), 6u);
  const Clock::Duration caps[] = {seconds(1), seconds(2), seconds(3), seconds(3), seconds(3)};
  for (size_t i = 1; i < rec.size(); ++i) {
    const auto gap = rec[i].at - rec[i - 1].at;
    EXPECT_GE(gap, caps[i - 1] / 2) << i;
    EXPECT_LE(gap, caps[i - 1]) << i;
  }
}

TEST(RetryTest, RetryAfterSecondsIsHonouredAndBacksOffTheHost) {
  Rig rig(NoJitter(seconds(0)), Retries(3));
  rig.fake.Route("http://a.test/x", {JsonResponse(429, "{}", {{"retry-after", "30"}}), JsonResponse(200, "{}")});
  rig.fake.Route("http://a.test/y", {JsonResponse(200, "{}")});
  auto got = rig.client.PerformAll({{"http://a.test/x", {}}, {"http://a.test/y", {}}});
  EXPECT_EQ(got[0].status, 200);
  EXPECT_EQ(got[1].status, 200);
  const auto& rec = rig.fake.records();
  ASSERT_EQ(rec.size(), 3u);
  EXPECT_EQ(rec[0].request.url, "http://a.test/x");
  EXPECT_EQ(Since0(rec[0]), seconds(0));
  // y could not start with x in flight (per-host limit 1) and then the host was backed off.
  EXPECT_EQ(Since0(rec[1]), seconds(30));
  EXPECT_EQ(Since0(rec[2]), seconds(30));
}

// Records what the client reports, as lines.
class Recorder final : public FetchObserver {
 public:
  void OnRequestStart(const std::string& host, Clock::SteadyTime at) override {
    lines.push_back("start " + host + " @" + Secs(at - Clock::SteadyTime{}));
  }
  void OnResponse(const std::string& host, const HttpResponse& r, Clock::SteadyTime started,
                  Clock::SteadyTime now) override {
    lines.push_back("response " + host + " " + RetryReason(r) + " took " + Secs(now - started));
  }
  void OnRetry(const RetryEvent& e) override {
    lines.push_back("retry " + e.url + " " + e.reason + " status=" + std::to_string(e.status) +
                    " attempt=" + std::to_string(e.attempt) + "/" +
                    std::to_string(e.max_attempts) + " delay=" + Secs(e.delay) +
                    (e.retry_after ? " retry-after" : ""));
  }
  void OnWait(WaitKind kind, const std::string& host, Clock::Duration waited) override {
    lines.push_back("wait " + std::string(WaitKindName(kind)) + " " + host + " " + Secs(waited));
  }
  static std::string Secs(Clock::Duration d) {
    return std::to_string(std::chrono::duration_cast<milliseconds>(d).count()) + "ms";
  }
  std::vector<std::string> lines;
};

TEST(RetryTest, TheObserverHearsOfEveryRetryAndWait) {
  Recorder seen;
  RetryOptions r = Retries(3);
  r.observer = &seen;
  Rig rig(NoJitter(seconds(2)), r);
  rig.fake.Route("http://a.test/x", {JsonResponse(429, "{}", {{"retry-after", "20"}}),
                                     TransportFailure(TransportError::kTimeout),
                                     JsonResponse(200, "{}")});
  auto got = rig.client.PerformAll({{"http://a.test/x", {}}});
  EXPECT_EQ(got[0].status, 200);
  EXPECT_EQ(seen.lines, (std::vector<std::string>{
      "start a.test @0ms", "response a.test http_429 took 0ms",
      "retry http://a.test/x http_429 status=429 attempt=1/3 delay=20000ms retry-after",
      "wait backoff a.test 20000ms", "start a.test @20000ms", "response a.test timeout took 0ms",
      "retry http://a.test/x timeout status=0 attempt=2/3 delay=2000ms",
      "wait backoff a.test 2000ms", "start a.test @22000ms", "response a.test http_200 took 0ms"}));
  // The per-host delay is a politeness wait.
  seen.lines.clear();
  rig.fake.Route("http://a.test/y", {JsonResponse(200, "{}")});
  rig.client.PerformAll({{"http://a.test/y", {}}});
  ASSERT_FALSE(seen.lines.empty());
  EXPECT_EQ(seen.lines[0], "wait politeness a.test 2000ms");
}

TEST(RetryTest, RetryAfterHttpDateIsHonoured) {
  Rig rig(NoJitter(seconds(0)), Retries(2));
  // FakeClock's wall clock starts at 2026-01-17T08:00:00Z.
  rig.fake.Route("http://a.test/", {JsonResponse(503, "{}", {{"retry-after", "Sat, 17 Jan 2026 08:00:45 GMT"}}),
                                   JsonResponse(200, "{}")});
  EXPECT_EQ(rig.client.Perform({"http://a.test/", {}}).status, 200);
  ASSERT_EQ(rig.fake.records().size(), 2u);
  EXPECT_EQ(Since0(rig.fake.records()[1]), seconds(45));
}

TEST(RetryTest, LongRetryAfterIsNotWaitedFor) {
  Rig rig(NoJitter(seconds(0)), Retries(3));
  rig.fake.Route("http://a.test/", {JsonResponse(429, "{}", {{"retry-after", "3600"}}), JsonResponse(200, "{}")});
  HttpResponse r = rig.client.Perform({"http://a.test/", {}});
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.Header("retry-after"), "3600");
  EXPECT_EQ(rig.fake.records().size(), 1u);
  EXPECT_EQ(rig.clock.SteadyNow(), Clock::SteadyTime{});  // did not sleep
}

TEST(RetryTest, PermanentFailuresAreNotRetried) {
  for (HttpResponse r : {JsonResponse(403, "{}"), JsonResponse(404, "{}"), JsonResponse(401, "{}"),
                         TransportFailure(TransportError::kTooLarge),
                         TransportFailure(TransportError::kTooManyRedirects)}) {
    Rig rig(NoJitter(seconds(0)), Retries(5));
    rig.fake.Route("http://a.test/", {r, JsonResponse(200, "{}")});
    HttpResponse got = rig.client.Perform({"http://a.test/", {}});
    EXPECT_EQ(got.status, r.status);
    EXPECT_EQ(got.error, r.error);
    EXPECT_EQ(rig.fake.records().size(), 1u);
  }
}

TEST(RetryTest, ACancelledTokenStartsNothing) {
  CancelToken cancel;
  cancel.Cancel();
  RetryOptions r = Retries(3);
  r.cancel = &cancel;
  Rig rig(NoJitter(seconds(2)), r);
  auto got = rig.client.PerformAll({{"http://a.test/1", {}}, {"http://a.test/2", {}}});
  ASSERT_EQ(got.size(), 2u);
  for (const HttpResponse& g : got) {
    EXPECT_EQ(g.error, TransportError::kCancelled);
    EXPECT_EQ(g.error_message, "shutting down");
  }
  EXPECT_TRUE(rig.fake.records().empty());
  EXPECT_EQ(rig.client.last_attempts(), 0);
}

// The stop arrives while a request fails transiently: no 60 s back-off, no second attempt,
// and the requests not yet made (here a second one, delayed by politeness) are not made.
TEST(RetryTest, ACancelDuringABackOffEndsTheWaitAndGivesUp) {
  CancelToken cancel;
  RetryOptions r = Retries(5);
  r.base_backoff = seconds(60);
  r.cancel = &cancel;
  Rig rig(NoJitter(seconds(30)), r, [&](const HttpRequest&) {
    cancel.Cancel();  // SIGTERM while this request was on the wire
    return JsonResponse(503, "{}");
  });
  auto got = rig.client.PerformAll({{"http://a.test/1", {}}, {"http://a.test/2", {}}});
  EXPECT_EQ(got[0].error, TransportError::kCancelled);
  EXPECT_EQ(got[1].error, TransportError::kCancelled);
  EXPECT_EQ(rig.fake.records().size(), 1u);
  EXPECT_LE(rig.clock.SteadyNow() - Clock::SteadyTime{}, CancelToken::kSlice);
}

TEST(RetryTest, CancelledIsNotTransient) {
  EXPECT_FALSE(IsTransient(TransportFailure(TransportError::kCancelled)));
}

TEST(HttpClientTest, HostOf) {
  EXPECT_EQ(HostOf("https://www.Zhihu.com/api/v4?x=1"), "www.zhihu.com");
  EXPECT_EQ(HostOf("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
  EXPECT_EQ(HostOf("http://u:p@h.test"), "h.test");
  EXPECT_EQ(HostOf("no scheme"), "");
}

}  // namespace
}  // namespace archivist::fetch
