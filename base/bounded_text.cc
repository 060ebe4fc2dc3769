#include "base/bounded_text.h"

namespace archivist {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The largest cut <= `at` that does not split a UTF-8 sequence. A valid sequence has at
// most three continuation bytes; invalid input gets no further search than that.
size_t Boundary(std::string_view text, size_t at) {
  size_t cut = at;
  for (int i = 0; i < 3 && cut > 0 && cut < text.size() && IsContinuation(text[cut]); ++i) --cut;
  return cut < text.size() && IsContinuation(text[cut]) ? at : cut;
}

}  // namespace

std::string BoundText(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  const std::string note = " (" + std::to_string(text.size()) + " bytes)";
  std::string tail;
  if (max >= kEllipsis.size() + note.size() + 16) {
    tail = std::string(kEllipsis) + note;
  } else if (max >= kEllipsis.size()) {
    tail = std::string(kEllipsis);
  }
  std::string out(text.substr(0, Boundary(text, max - tail.size())));
  out += tail;
  return out;
}

}  // namespace archivist
