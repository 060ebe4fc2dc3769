#include "normalize/html_input.h"

#include <cstdint>
#include <cstring>

namespace archivist::normalize {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 with *bad set to the length of the
// maximal subpart of an invalid one (at least 1).
size_t ValidSequenceAt(std::string_view s, size_t i, size_t* bad) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  if (b < 0x80) return 1;
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    need = 1;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need = 2;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 3;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    *bad = 1;
    return 0;
  }
  for (size_t k = 1; k <= need; ++k) {
    if (i + k >= s.size()) {
      *bad = k;
      return 0;
    }
    const unsigned char c = byte(i + k);
    if (c < lo || c > hi) {
      *bad = k;
      return 0;
    }
    lo = 0x80;
    hi = 0xBF;
  }
  return need + 1;
}

}  // namespace

bool RepairUtf8(std::string_view in, std::string* repaired) {
  std::string out;
  size_t copied = 0;  // in[copied, i) is valid and not yet appended
  size_t i = 0;
  while (i < in.size()) {
    // Fast path: eight ASCII bytes at a time.
    while (i + 8 <= in.size()) {
      uint64_t word;
      std::memcpy(&word, in.data() + i, 8);
      if (word & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= in.size()) break;
    const unsigned char b = static_cast<unsigned char>(in[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    // Fast path for the common three-byte sequences (CJK) that need no range checks.
    if (((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) && i + 2 < in.size() &&
        (static_cast<unsigned char>(in[i + 1]) & 0xC0) == 0x80 &&
        (static_cast<unsigned char>(in[i + 2]) & 0xC0) == 0x80) {
      i += 3;
      continue;
    }
    size_t bad = 0;
    const size_t n = ValidSequenceAt(in, i, &bad);
    if (n) {
      i += n;
      continue;
    }
    if (out.empty()) out.reserve(in.size() + 16);
    out.append(in.substr(copied, i - copied));
    out.append("\xEF\xBF\xBD");
    i += bad;
    copied = i;
  }
  if (copied == 0) return false;
  out.append(in.substr(copied));
  *repaired = std::move(out);
  return true;
}

std::string SanitizeUtf8(std::string_view in) {
  std::string out;
  return RepairUtf8(in, &out) ? out : std::string(in);
}

}  // namespace archivist::normalize
