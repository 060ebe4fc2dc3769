// Shared by the fuzzers: Check (abort with a word, which libFuzzer reports with the input), and
// for the Zhihu source fuzzers the base URL they serve and the check every outcome
// must pass: its error strings are bounded.
#ifndef ARCHIVIST_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define ARCHIVIST_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/bounded_text.h"
#include "model/model.h"

namespace archivist::fuzz {

inline const std::string kBase = "https://z.test";

inline void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}

// Every string of a FetchError is bounded (base/bounded_text.h).
inline void CheckBounded(const model::FetchError& e) {
  Check(e.message.size() <= kMaxEchoBytes, "error message over 1 KiB");
  Check(e.code.size() <= 64, "error code over 64 bytes");
}

}  // namespace archivist::fuzz

#endif  // ARCHIVIST_TESTS_FUZZ_FUZZ_SUPPORT_H_
