// libFuzzer target for the deletion probe's reply (ZhihuSource::ProbeAnswer). Input: one
// status byte (200 ×4, 403, 404, 410, 429 by its low 3 bits), then the reply body.
// Checks: no crash or exception, a bounded error, kExists only for a 2xx reply.
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
  static constexpr int kStatus[] = {200, 200, 200, 200, 403, 404, 410, 429};
  const int status = kStatus[data[0] & 7];
  FakeClock clock;
  fetch::FakeHttpClient http(clock);
  http.Route(fuzz::kBase + "/api/v4/answers/1234567890123456789",
             {fetch::JsonResponse(status, std::string(reinterpret_cast<const char*>(data + 1), size - 1))});
  fetch::ZhihuOptions options;
  options.base_url = fuzz::kBase;
  model::FetchError error;
  const model::ProbeResult r =
      fetch::ZhihuSource(http, clock, options).ProbeAnswer(1234567890123456789ull, &error);
  fuzz::CheckBounded(error);
  if (r == model::ProbeResult::kExists) fuzz::Check(status == 200, "exists without a 200");
  return 0;
}
