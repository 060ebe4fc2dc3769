// libFuzzer target for the status listener's request line (daemon/http_request.h): any bytes
// as a request head. Checks: no crash; the method and path are words of the input, without
// white space, and the path has no '?'.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "daemon/http_request.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace archivist;
  const std::string_view head(reinterpret_cast<const char*>(data), size);
  const daemon::RequestLine r = daemon::ParseRequestHead(head);
  fuzz::Check(head.find(r.method) != std::string_view::npos, "method not from the input");
  fuzz::Check(head.find(r.path) != std::string_view::npos, "path not from the input");
  fuzz::Check(r.path.find('?') == std::string::npos, "path keeps its query");
  for (char c : r.method + r.path) {
    fuzz::Check(c != ' ' && c != '\t' && c != '\r' && c != '\n', "white space in a word");
  }
  return 0;
}
