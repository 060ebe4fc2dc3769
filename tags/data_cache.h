// The compiled-data cache: JiebaData in a binary file, so that one-shot commands need not
// parse ~12 MB of text on every run.
//
// File layout (host byte order; the magic doubles as a byte-order check):
//   "ARVJIEBA"   8 bytes magic
//   u64          format version (kCacheVersion)
//   u64          HashBytes(rest)
//   rest         sections (cache_io.h): fingerprint, prefix dictionary, IDF table, HMM,
//                stop words
// The fingerprint is the canonical data directory and, for each source file (JiebaSourceFiles),
// its size, modification time (ns) and inode. A cache is used only if the magic, version,
// hash and fingerprint all match and every section passes its structural checks; otherwise
// ReadJiebaCache fails and the caller falls back to the source files (and rewrites the cache).
// Writes go to a temporary file in the same directory, then rename(), so readers never see a
// half-written cache and concurrent writers do not interfere.
//
// Thread-safety: functions of their arguments and the file system.
#ifndef ARCHIVIST_TAGS_DATA_CACHE_H_
#define ARCHIVIST_TAGS_DATA_CACHE_H_

#include <string>

#include "base/status.h"
#include "tags/jieba_data.h"

namespace archivist::tags {

inline constexpr uint64_t kCacheVersion = 1;

// The fingerprint of the source files under `dir`; fails (naming the file and the package) if
// one is missing.
Result<std::string> JiebaFingerprint(const std::string& dir);

// The cache file for `dir` inside `cache_dir`: cache_dir/jieba-<hash of dir>.bin.
std::string JiebaCachePath(const std::string& cache_dir, const std::string& dir);

// The default cache directory: $XDG_CACHE_HOME/archivist, else $HOME/.cache/archivist, else ""
// (no cache).
std::string DefaultCacheDir();

// Reads the cache at `path` if it matches `fingerprint`. kNotFound: no cache file;
// kCorruption: damaged or stale (the message says which).
Result<JiebaData> ReadJiebaCache(const std::string& path, const std::string& fingerprint);

// Writes `data` to `path` atomically, creating the parent directory if needed.
Status WriteJiebaCache(const std::string& path, const std::string& fingerprint,
                       const JiebaData& data);

}  // namespace archivist::tags

#endif  // ARCHIVIST_TAGS_DATA_CACHE_H_
