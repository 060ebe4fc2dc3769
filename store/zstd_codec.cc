#include "store/zstd_codec.h"

#include <zstd.h>

#include <memory>

namespace archivist::store {
namespace {
// Level 9: answers are small and written once, read rarely; the ratio matters more than
// the few hundred microseconds per answer.
constexpr int kLevel = 9;
}  // namespace

std::string Compress(std::string_view raw) {
  // The bound is about the input's size; a buffer that is not zero-filled costs memory only
  // for the pages zstd writes, and the result is copied out at its own size.
  const size_t bound = ZSTD_compressBound(raw.size());
  const auto buffer = std::make_unique_for_overwrite<char[]>(bound);
  const size_t n = ZSTD_compress(buffer.get(), bound, raw.data(), raw.size(), kLevel);
  if (ZSTD_isError(n)) return std::string();  // only on a bug: the bound is always enough
  return std::string(buffer.get(), n);
}

Result<std::string> Decompress(std::string_view compressed) {
  const unsigned long long size = ZSTD_getFrameContentSize(compressed.data(), compressed.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return Status::Corruption("stored HTML is not a zstd frame of known size");
  }
  std::string out(static_cast<size_t>(size), '\0');
  const size_t n = ZSTD_decompress(out.data(), out.size(), compressed.data(), compressed.size());
  if (ZSTD_isError(n) || n != size) {
    return Status::Corruption(std::string("stored HTML does not decompress: ") +
                              (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "size mismatch"));
  }
  return out;
}

}  // namespace archivist::store
