// Byte-level reading and writing of the compiled-data cache (see data_cache.h for the file
// layout). A payload is a sequence of sections; each section is a little-endian u64 byte count
// followed by that many bytes of a plain array, zero-padded to a multiple of 8. The reader
// checks every count against what is left and against the element size, so a damaged payload
// yields an error, never an out-of-bounds read. (The payload is also hashed; see data_cache.)
//
// Thread-safety: one object per thread.
#ifndef ARCHIVIST_TAGS_CACHE_IO_H_
#define ARCHIVIST_TAGS_CACHE_IO_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "base/status.h"

namespace archivist::tags {

class CacheWriter {
 public:
  template <typename T>
  void PutArray(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    PutBytes(v.data(), v.size() * sizeof(T));
  }
  template <typename T>
  void PutScalar(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    PutBytes(&v, sizeof(T));
  }
  void PutBytes(const void* data, size_t n);
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

class CacheReader {
 public:
  explicit CacheReader(std::string_view payload) : in_(payload) {}

  template <typename T>
  Status GetArray(std::vector<T>* v) {
    static_assert(std::is_trivially_copyable_v<T>);
    std::string_view bytes;
    ARCHIVIST_RETURN_IF_ERROR(GetBytes(&bytes));
    if (bytes.size() % sizeof(T) != 0) return Status::Corruption("cache section size mismatch");
    v->resize(bytes.size() / sizeof(T));
    if (!bytes.empty()) std::memcpy(v->data(), bytes.data(), bytes.size());
    return Status::Ok();
  }
  template <typename T>
  Status GetScalar(T* v) {
    static_assert(std::is_trivially_copyable_v<T>);
    std::string_view bytes;
    ARCHIVIST_RETURN_IF_ERROR(GetBytes(&bytes));
    if (bytes.size() != sizeof(T)) return Status::Corruption("cache scalar size mismatch");
    std::memcpy(v, bytes.data(), sizeof(T));
    return Status::Ok();
  }
  Status GetBytes(std::string_view* bytes);
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

// A fast 64-bit hash of a byte string, to detect damage (not an adversary).
uint64_t HashBytes(std::string_view bytes);

}  // namespace archivist::tags

#endif  // ARCHIVIST_TAGS_CACHE_IO_H_
