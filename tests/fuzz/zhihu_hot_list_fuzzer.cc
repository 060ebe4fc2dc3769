// libFuzzer target for the hot list (ZhihuSource::HotList). Input: the reply body (HTTP 200).
// Checks: no crash or exception, a bounded error and status message, no question id 0.
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
  FakeClock clock;
  fetch::FakeHttpClient http(clock);
  http.Route(fuzz::kBase + "/api/v3/feed/topstory/hot-lists/total?limit=50",
             {fetch::JsonResponse(200, std::string(reinterpret_cast<const char*>(data), size))});
  fetch::ZhihuOptions options;
  options.base_url = fuzz::kBase;
  model::FetchError error;
  const Result<std::vector<model::HotItem>> items =
      fetch::ZhihuSource(http, clock, options).HotList(&error);
  if (items.ok()) {
    for (const model::HotItem& h : *items) fuzz::Check(h.question_id != 0, "question id 0");
  } else {
    fuzz::CheckBounded(error);
    fuzz::Check(items.status().message().size() <= 2 * kMaxEchoBytes, "status message unbounded");
  }
  return 0;
}
