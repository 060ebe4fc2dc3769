// PgServer: a real server starts in its own folder, listens on a Unix socket there and on no
// TCP port, accepts a new database, and leaves nothing behind.
#include "tests/support/pg_server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include <gtest/gtest.h>

#include "tests/support/files.h"

namespace archivist::test_support {
namespace {

TEST(PgServerTest, ListensOnASocketInItsFolderOnlyAndCleansUp) {
  std::string dir;
  {
    PgServer server;
    const std::string err = server.Start();
    ASSERT_EQ(err, "");
    dir = server.socket_dir();
    struct stat st {};
    ASSERT_EQ(::stat((dir + "/.s.PGSQL.5432").c_str(), &st), 0);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));
    if (::geteuid() == 0) {
      EXPECT_NE(::stat((dir + "/data").c_str(), &st), -1);
      EXPECT_NE(st.st_uid, 0u) << "the cluster must not belong to root";
    }
    // No TCP: the log names the socket and no IPv4/IPv6 address.
    EXPECT_EQ(server.Log().find("listening on IPv"), std::string::npos) << server.Log();
    EXPECT_NE(server.Log().find("listening on Unix socket"), std::string::npos) << server.Log();
    EXPECT_EQ(server.CreateDatabase("archive_one"), "");
    EXPECT_NE(server.CreateDatabase("archive_one"), "");  // exists already
    EXPECT_EQ(server.Uri("archive_one"), "postgresql://archivist@/archive_one?host=" + dir);
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(PgServerTest, MissingProgramsAreNamed) {
  ::setenv("ARCHIVIST_PG_BIN", "/nonexistent/bin", 1);
  PgServer server;
  ::unsetenv("ARCHIVIST_PG_BIN");
  const std::string err = server.Start();
  EXPECT_NE(err.find("/nonexistent/bin"), std::string::npos) << err;
  EXPECT_FALSE(server.running());
}

}  // namespace
}  // namespace archivist::test_support
