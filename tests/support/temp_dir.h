// TempDir: a fresh directory for one test (or benchmark), removed with everything in it when
// the TempDir goes. It is made under $TMPDIR (else /tmp) with mkdtemp, so parallel test
// binaries never share one; a failure to make it aborts the binary with the reason.
//
// Thread-safety: construct and destroy on one thread; path() is a plain value.
#ifndef ARCHIVIST_TESTS_SUPPORT_TEMP_DIR_H_
#define ARCHIVIST_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>
#include <string_view>

namespace archivist::test_support {

class TempDir {
 public:
  // The directory's name starts with `prefix` (it shows whose leftovers a crash left).
  explicit TempDir(std::string_view prefix = "archivist");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return dir_; }
  // path() + "/" + name
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

 private:
  std::string dir_;
};

}  // namespace archivist::test_support

#endif  // ARCHIVIST_TESTS_SUPPORT_TEMP_DIR_H_
