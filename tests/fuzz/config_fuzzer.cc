// libFuzzer target for the configuration file (config::ParseConfig): any bytes as TOML.
// Checks: no crash; a file that parses formats (FormatConfig) to a text that parses again,
// without errors, to the same formatted text (the cookie, never printed, is dropped first).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace archivist;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  config::ParseOptions options;
  options.check_files = false;
  config::ParseResult r = config::ParseConfig(text, "fuzz.toml", options);
  if (!r.ok()) return 0;
  r.config.zhihu.cookie.clear();
  const std::string formatted = config::FormatConfig(r.config);
  config::ParseResult again = config::ParseConfig(formatted, "fuzz.toml", options);
  if (!again.ok()) {
    std::fprintf(stderr, "%s\n--- first error: %s\n", formatted.c_str(),
                 again.errors.front().ToString().c_str());
  }
  fuzz::Check(again.ok(), "FormatConfig's output does not parse");
  fuzz::Check(config::FormatConfig(again.config) == formatted, "FormatConfig does not round-trip");
  return 0;
}
