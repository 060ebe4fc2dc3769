// Starts the real mock_zhihu executable on 127.0.0.1:<ephemeral> for a test and stops it.
// The executable and the fixture folder come from the environment (set by CMake):
// MOCK_ZHIHU=<path to mock_zhihu>, ARCHIVIST_TEST_DATA=<tests/data>.
#ifndef ARCHIVIST_TESTS_SUPPORT_MOCK_PROCESS_H_
#define ARCHIVIST_TESTS_SUPPORT_MOCK_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace archivist::e2e {

std::string TestData();  // $ARCHIVIST_TEST_DATA, or "" when unset

class MockProcess {
 public:
  // Starts mock_zhihu with --root for each of `roots` and `extra` arguments; waits for the
  // port line. On failure ok() is false and error() says why.
  MockProcess(const std::vector<std::string>& roots, const std::vector<std::string>& extra = {});
  ~MockProcess();
  MockProcess(const MockProcess&) = delete;
  MockProcess& operator=(const MockProcess&) = delete;

  bool ok() const { return port_ != 0; }
  const std::string& error() const { return error_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string error_;
};

}  // namespace archivist::e2e

#endif  // ARCHIVIST_TESTS_SUPPORT_MOCK_PROCESS_H_
