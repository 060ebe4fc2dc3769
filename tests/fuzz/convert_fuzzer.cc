// libFuzzer target for the converter: any bytes through both profiles and the visible text.
// Also checks the fast path: whenever FastParse accepts, its tree must be gumbo's; and the
// parse in segments: cut wherever it may be (segments of one byte), gumbo's tree must be the
// one of a single parse (abort() with the first difference otherwise). Build and run: see
// tests/fuzz/README.md.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "normalize/dom_diff.h"
#include "normalize/fast_parse.h"
#include "normalize/html_input.h"
#include "normalize/normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace archivist::normalize;
  const std::string_view html(reinterpret_cast<const char*>(data), size);
  Options plain;
  plain.profile = Profile::kPlain;
  (void)HtmlToMarkdown(html, plain);
  (void)HtmlToMarkdown(html, Options{});
  (void)VisibleText(html, Options{});

  const std::string utf8 = SanitizeUtf8(html);
  size_t dropped = 0;
  const std::string limited = LimitNesting(utf8, kMaxDepth, &dropped);
  const std::string cut = FirstDomDifference(ParseTurndownRoot(limited, limited.size() + 1),
                                             ParseTurndownRoot(limited, 1));
  if (!cut.empty()) {
    std::fprintf(stderr, "parse in segments differs from one parse: %s\n", cut.c_str());
    std::abort();
  }
  Dom fast;
  if (FastParse(utf8, &fast)) {
    const std::string diff =
        FirstDomDifference(ParseTurndownRoot(LimitNesting(utf8, kMaxDepth, &dropped)), fast);
    if (!diff.empty() || dropped != 0) {
      std::fprintf(stderr, "fast path differs from gumbo (dropped %zu): %s\n", dropped,
                   diff.c_str());
      std::abort();
    }
  }
  return 0;
}
