#include "tags/data_cache.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "base/atomic_file.h"
#include "tags/cache_io.h"

namespace archivist::tags {

namespace {

constexpr char kMagic[8] = {'A', 'R', 'V', 'J', 'I', 'E', 'B', 'A'};
constexpr size_t kHeaderSize = 24;

std::string CanonicalDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::weakly_canonical(dir, ec);
  return ec ? dir : p.string();
}

void PutStrings(const std::vector<std::string>& strings, CacheWriter* w) {
  std::string blob;
  std::vector<uint32_t> lengths;
  for (const std::string& s : strings) {
    blob += s;
    lengths.push_back(static_cast<uint32_t>(s.size()));
  }
  w->PutBytes(blob.data(), blob.size());
  w->PutArray(lengths);
}

Status GetStrings(CacheReader* r, std::vector<std::string>* strings) {
  std::string_view blob;
  std::vector<uint32_t> lengths;
  ARCHIVIST_RETURN_IF_ERROR(r->GetBytes(&blob));
  ARCHIVIST_RETURN_IF_ERROR(r->GetArray(&lengths));
  size_t pos = 0;
  for (const uint32_t len : lengths) {
    if (len > blob.size() - pos) return Status::Corruption("stop words run past the end");
    strings->emplace_back(blob.substr(pos, len));
    pos += len;
  }
  if (pos != blob.size()) return Status::Corruption("stop words have trailing bytes");
  for (size_t i = 1; i < strings->size(); ++i) {
    if (!((*strings)[i - 1] < (*strings)[i])) return Status::Corruption("stop words not sorted");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> JiebaFingerprint(const std::string& dir) {
  CacheWriter w;
  const std::string canonical = CanonicalDir(dir);
  w.PutBytes(canonical.data(), canonical.size());
  for (const std::string& file : JiebaSourceFiles()) {
    const std::string path = dir + "/" + file;
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      // Same wording as ReadJiebaFile, so the user sees one kind of message.
      Result<std::string> r = ReadJiebaFile(path);
      if (!r.ok()) return r.status();
      return Status::IoError("cannot stat " + path + ": " + std::strerror(errno));
    }
    const int64_t fields[4] = {static_cast<int64_t>(st.st_size),
                               static_cast<int64_t>(st.st_mtim.tv_sec),
                               static_cast<int64_t>(st.st_mtim.tv_nsec),
                               static_cast<int64_t>(st.st_ino)};
    w.PutBytes(fields, sizeof(fields));
  }
  return w.bytes();
}

std::string JiebaCachePath(const std::string& cache_dir, const std::string& dir) {
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx",
                static_cast<unsigned long long>(HashBytes(CanonicalDir(dir))));
  return cache_dir + "/jieba-" + hex + ".bin";
}

std::string DefaultCacheDir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/archivist";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] == '/') return std::string(home) + "/.cache/archivist";
  return "";
}

Result<JiebaData> ReadJiebaCache(const std::string& path, const std::string& fingerprint) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("no cache at " + path);
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size < 0) return Status::IoError("error reading " + path);
  std::string bytes(static_cast<size_t>(size), '\0');
  in.read(bytes.data(), size);
  if (!in) return Status::IoError("error reading " + path);
  const auto damaged = [&](const std::string& why) {
    return Status::Corruption("jieba cache " + path + ": " + why);
  };
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, 8) != 0) {
    return damaged("not a cache file");
  }
  uint64_t version = 0;
  uint64_t hash = 0;
  std::memcpy(&version, bytes.data() + 8, 8);
  std::memcpy(&hash, bytes.data() + 16, 8);
  if (version != kCacheVersion) return damaged("format version " + std::to_string(version));
  const std::string_view rest = std::string_view(bytes).substr(kHeaderSize);
  if (HashBytes(rest) != hash) return damaged("checksum mismatch");

  CacheReader r(rest);
  std::string_view stored_fingerprint;
  ARCHIVIST_RETURN_IF_ERROR(r.GetBytes(&stored_fingerprint));
  if (stored_fingerprint != fingerprint) return damaged("stale (the source files changed)");
  Result<PrefixDict> dict = PrefixDict::Deserialize(&r);
  if (!dict.ok()) return damaged(dict.status().message());
  Result<IdfTable> idf = IdfTable::Deserialize(&r);
  if (!idf.ok()) return damaged(idf.status().message());
  Result<HmmModel> hmm = HmmModel::Deserialize(&r);
  if (!hmm.ok()) return damaged(hmm.status().message());
  std::vector<std::string> stop_words;
  Status st = GetStrings(&r, &stop_words);
  if (!st.ok()) return damaged(st.message());
  if (!r.AtEnd()) return damaged("trailing bytes");
  return JiebaData{std::move(dict).value(), std::move(idf).value(), std::move(hmm).value(),
                   std::move(stop_words)};
}

Status WriteJiebaCache(const std::string& path, const std::string& fingerprint,
                       const JiebaData& data) {
  CacheWriter w;
  w.PutBytes(fingerprint.data(), fingerprint.size());
  data.dict.Serialize(&w);
  data.idf.Serialize(&w);
  data.hmm.Serialize(&w);
  PutStrings(data.stop_words, &w);
  const uint64_t hash = HashBytes(w.bytes());

  std::error_code ec;
  const std::filesystem::path target(path);
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) return Status::IoError("cannot create " + target.parent_path().string() + ": " + ec.message());
  std::string bytes(kMagic, 8);
  bytes.append(reinterpret_cast<const char*>(&kCacheVersion), 8);
  bytes.append(reinterpret_cast<const char*>(&hash), 8);
  bytes.append(w.bytes().data(), w.bytes().size());
  // A cache is checked (magic, version, hash) whenever it is read: no fsync needed.
  AtomicWriteOptions options;
  options.durable = false;
  return WriteFileAtomically(path, bytes, options);
}

}  // namespace archivist::tags
