// libFuzzer target for the converter: any bytes through both profiles and the visible text.
// Build and run: see tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "normalize/normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace archivist::normalize;
  const std::string_view html(reinterpret_cast<const char*>(data), size);
  Options plain;
  plain.profile = Profile::kPlain;
  (void)HtmlToMarkdown(html, plain);
  (void)HtmlToMarkdown(html, Options{});
  (void)VisibleText(html, Options{});
  return 0;
}
