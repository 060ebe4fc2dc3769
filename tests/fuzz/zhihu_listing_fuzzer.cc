// libFuzzer target for the Zhihu source's question and listing parsing (ZhihuSource::
// FetchQuestion over a FakeHttpClient). Input: one mode byte, then a response body.
//   mode bit 0: 0 = the body is every listing page (/feeds, its `next` pages, /answers);
//               1 = the body is the question; the listing is one empty final page.
//   mode bits 1-3: the HTTP status of the fuzzed response (200 ×4, 403, 404, 429, 503).
// Checks: no crash or sanitizer report, no exception, bounded error messages, a complete
// snapshot carries no error and only non-zero answer ids.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/clock.h"
#include "base/fake_clock.h"
#include "fetch/fake_http_client.h"
#include "fetch/sources/zhihu_source.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace archivist;
  if (size < 1) return 0;
  static constexpr int kStatus[] = {200, 200, 200, 200, 403, 404, 429, 503};
  const bool fuzz_question = (data[0] & 1) != 0;
  const int status = kStatus[(data[0] >> 1) & 7];
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string question_url = fuzz::kBase + "/api/v4/questions/42";
  FakeClock clock;
  fetch::FakeHttpClient http(clock, [&](const fetch::HttpRequest& req) {
    if (req.url == question_url) {
      return fuzz_question ? fetch::JsonResponse(status, body)
                           : fetch::JsonResponse(200, R"({"id":"42","title":"Q","created":1})");
    }
    if (fuzz_question) return fetch::JsonResponse(200, R"({"data":[],"paging":{"is_end":true}})");
    return fetch::JsonResponse(status, body);
  });
  fetch::ZhihuOptions options;
  options.base_url = fuzz::kBase;
  options.max_pages = 5;
  const model::Snapshot s = fetch::ZhihuSource(http, clock, options).FetchQuestion(42);
  fuzz::CheckBounded(s.error);
  if (s.complete()) {
    fuzz::Check(s.error.message.empty() && s.error.http_status == 0, "complete with an error");
    for (const model::Answer& a : s.answers) fuzz::Check(a.id != 0, "answer id 0");
  }
  return 0;
}
