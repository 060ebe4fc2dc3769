// PgServer: a throwaway PostgreSQL server for tests, from Debian's postgresql 15
// (initdb and pg_ctl in /usr/lib/postgresql/15/bin, or $ARCHIVIST_PG_BIN).
//
// Start() makes a fresh folder (TempDir), initialises a cluster in it (trust authentication,
// superuser "archivist", no fsync) and starts the server listening on a Unix socket in that
// folder only: listen_addresses is empty, so no TCP port is opened and parallel test binaries
// never collide. Run as root, the folder is given to `nobody` and every server program runs
// as that user (runuser), since PostgreSQL refuses to run as root; the folder's parents
// (the system's temporary folder) must let `nobody` through. The destructor stops the server
// (immediate shutdown) and removes the folder with everything in it.
//
// Databases: CreateDatabase(name) makes an empty one (createdb); Uri(name) is the
// postgresql:// URI that names it (host = the socket folder).
//
// Thread-safety: construct, Start and destroy on one thread; Uri() is a plain value.
#ifndef ARCHIVIST_TESTS_SUPPORT_PG_SERVER_H_
#define ARCHIVIST_TESTS_SUPPORT_PG_SERVER_H_

#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace archivist::test_support {

class PgServer {
 public:
  PgServer();
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // Initialises and starts the server. Returns "" on success, else what failed (with the
  // tail of the program's output). Idempotent once it succeeded.
  std::string Start();
  bool running() const { return running_; }

  // Makes an empty database `name` (letters, digits and '_'). "" or what failed.
  std::string CreateDatabase(const std::string& name);

  // "postgresql://archivist@/NAME?host=SOCKET_FOLDER"
  std::string Uri(const std::string& database) const;
  const std::string& socket_dir() const { return dir_.path(); }
  // The server's log (for a failing test's message).
  std::string Log() const;

 private:
  // Runs `argv` (as nobody under root) in the server's folder, output appended to
  // `log_name` in it; "" or what failed.
  std::string Run(const std::vector<std::string>& argv, const std::string& log_name) const;
  std::string Bin(const std::string& program) const;

  TempDir dir_;
  std::string bin_dir_;
  bool as_nobody_ = false;
  bool running_ = false;
};

}  // namespace archivist::test_support

#endif  // ARCHIVIST_TESTS_SUPPORT_PG_SERVER_H_
