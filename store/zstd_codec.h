// zstd_codec: compression of stored raw HTML. Internal to store/ (the only libzstd user).
#ifndef ARCHIVIST_STORE_ZSTD_CODEC_H_
#define ARCHIVIST_STORE_ZSTD_CODEC_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace archivist::store {

std::string Compress(std::string_view raw);
// kCorruption when `compressed` is not one whole zstd frame.
Result<std::string> Decompress(std::string_view compressed);

}  // namespace archivist::store

#endif  // ARCHIVIST_STORE_ZSTD_CODEC_H_
