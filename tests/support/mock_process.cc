#include "tests/support/mock_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

namespace archivist::e2e {

std::string TestData() {
  const char* d = std::getenv("ARCHIVIST_TEST_DATA");
  return d ? d : "";
}

MockProcess::MockProcess(const std::vector<std::string>& roots, const std::vector<std::string>& extra) {
  const char* exe = std::getenv("MOCK_ZHIHU");
  if (exe == nullptr) {
    error_ = "MOCK_ZHIHU is not set";
    return;
  }
  std::vector<std::string> args = {exe, "--port", "0"};
  for (const auto& r : roots) args.insert(args.end(), {"--root", r});
  args.insert(args.end(), extra.begin(), extra.end());
  int fds[2];
  if (pipe(fds) != 0) {
    error_ = "pipe failed";
    return;
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  std::string line;
  char c;
  while (read(fds[0], &c, 1) == 1 && c != '\n') line += c;
  close(fds[0]);
  port_ = std::atoi(line.c_str());
  if (port_ == 0) error_ = "mock_zhihu did not print a port (got '" + line + "')";
}

MockProcess::~MockProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
}

}  // namespace archivist::e2e
