// Where the configuration file is looked for (--config, $XDG_CONFIG_HOME, ~/.config, /etc)
// and how LoadConfig reports a file that is broken or cannot be opened.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config.h"

namespace archivist::config {
namespace {

class LocateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("archivist_config_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "xdg/archivist");
    std::filesystem::create_directories(dir_ / "home/.config/archivist");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Touch(const std::filesystem::path& p) {
    std::ofstream(p) << "\n";
    return p.string();
  }
  std::filesystem::path dir_;
};

TEST_F(LocateTest, Order) {
  const std::string etc = (dir_ / "etc.toml").string();
  const std::string xdg = (dir_ / "xdg").string();
  const std::string home = (dir_ / "home").string();
  // Nothing anywhere: defaults.
  EXPECT_FALSE(LocateConfig("", xdg.c_str(), home.c_str(), etc)->has_value());
  Touch(etc);
  EXPECT_EQ(**LocateConfig("", xdg.c_str(), home.c_str(), etc), etc);
  const std::string home_file = Touch(dir_ / "home/.config/archivist/archivist.toml");
  EXPECT_EQ(**LocateConfig("", nullptr, home.c_str(), etc), home_file);
  EXPECT_EQ(**LocateConfig("", "", home.c_str(), etc), home_file);
  // XDG_CONFIG_HOME set: $HOME/.config is not consulted.
  EXPECT_EQ(**LocateConfig("", xdg.c_str(), home.c_str(), etc), etc);
  const std::string xdg_file = Touch(dir_ / "xdg/archivist/archivist.toml");
  EXPECT_EQ(**LocateConfig("", xdg.c_str(), home.c_str(), etc), xdg_file);
  const std::string explicit_file = Touch(dir_ / "mine.toml");
  EXPECT_EQ(**LocateConfig(explicit_file, xdg.c_str(), home.c_str(), etc), explicit_file);
  Result<std::optional<std::string>> missing =
      LocateConfig((dir_ / "nope.toml").string(), xdg.c_str(), home.c_str(), etc);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope.toml (from --config) does not exist"),
            std::string::npos);
}

TEST_F(LocateTest, LoadConfigReportsEveryErrorInItsMessage) {
  const std::string file = (dir_ / "bad.toml").string();
  std::ofstream(file) << "[fetch]\ntimeout = \"x\"\nnope = 1\n";
  Result<Config> c = LoadConfig(file);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(c.status().message().find("2 error(s) in " + file), std::string::npos);
  EXPECT_NE(c.status().message().find(file + ":2:11: fetch.timeout: bad duration"),
            std::string::npos);
  EXPECT_NE(c.status().message().find(file + ":3:1: unknown key fetch.nope"), std::string::npos);
}

// Out of file descriptors (a process flooded by connections, say), a reload must say so,
// not suggest that the file is missing or unreadable.
TEST_F(LocateTest, AFileThatCannotBeOpenedSaysWhy) {
  const std::string file = Touch(dir_ / "good.toml");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    rlimit none{3, 3};  // stdin, stdout, stderr: the pipe's end is above, no room for more
    if (::dup2(fds[1], 2) < 0 || ::setrlimit(RLIMIT_NOFILE, &none) != 0) ::_exit(3);
    Result<Config> c = LoadConfig(file);
    const std::string m = c.ok() ? "loaded" : c.status().message();
    ::_exit(::write(2, m.data(), m.size()) == static_cast<ssize_t>(m.size()) ? 0 : 4);
  }
  ::close(fds[1]);
  std::string got;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) got.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(got, "cannot read config file " + file + ": Too many open files");
}


}  // namespace
}  // namespace archivist::config
