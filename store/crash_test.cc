// Crash test: a child process commits refreshes to a WAL archive and is SIGKILLed at random
// points, 200 times. After every kill the archive must pass integrity_check, every refresh
// the child reported as committed must be there, every refresh there must be whole (its
// fetch record, exactly answer_count events and answer_count revisions), no event may lack
// its revision, revision numbers must be dense, and a half-done migration must not show.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <set>
#include <sstream>
#include <string>

#include "store/store_test_util.h"

namespace archivist::store {
namespace {

using testing::Query;

constexpr int kKills = 200;

// What the child printed: complete lines are committed refresh tags.
class CommitReader {
 public:
  explicit CommitReader(int fd) : fd_(fd) {}
  // Blocks until `n` more lines arrived or the pipe closed.
  void WaitFor(int n, std::set<std::string>& committed) {
    for (int seen = 0; seen < n;) {
      const size_t before = committed.size();
      if (!ReadSome(committed)) return;
      seen += static_cast<int>(committed.size() - before);
    }
  }
  // Reads until the pipe closes (the child is dead).
  void Drain(std::set<std::string>& committed) {
    while (ReadSome(committed)) {
    }
  }

 private:
  bool ReadSome(std::set<std::string>& committed) {
    char buf[4096];
    const ssize_t n = read(fd_, buf, sizeof buf);
    if (n <= 0) return false;
    pending_.append(buf, static_cast<size_t>(n));
    size_t nl;
    while ((nl = pending_.find('\n')) != std::string::npos) {
      const std::string line = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      in_commit_ = line.rfind("begin ", 0) == 0;
      if (!in_commit_) committed.insert(line);
    }
    return true;  // a line cut by the kill stays pending and is never counted
  }
  int fd_;
  std::string pending_;

 public:
  // True when the last complete line was "begin …": the kill came inside CommitRefresh.
  bool in_commit() const { return in_commit_; }

 private:
  bool in_commit_ = false;
};

void CheckArchive(const std::string& path, const std::set<std::string>& committed, int round) {
  SCOPED_TRACE("after kill " + std::to_string(round));
  if (!testing::Exists(path)) return;  // killed before it created the file
  ASSERT_EQ(Query(path, "PRAGMA integrity_check"), "ok\n");
  if (Query(path, "PRAGMA user_version") == "0\n") {
    // Killed before or during the first migration: it must have left no half schema.
    EXPECT_EQ(Query(path, "SELECT count(*) FROM sqlite_master"), "0\n");
    EXPECT_TRUE(committed.empty());
    return;
  }
  EXPECT_EQ(Query(path, "PRAGMA foreign_key_check"), "");
  EXPECT_EQ(Query(path,
                  "SELECT count(*) FROM fetches f WHERE f.answer_count != "
                  "(SELECT count(*) FROM events e WHERE e.fetch_id = f.id) OR f.answer_count != "
                  "(SELECT count(*) FROM revisions r WHERE r.fetch_id = f.id)"),
            "0\n")
      << "a torn refresh";
  EXPECT_EQ(Query(path,
                  "SELECT count(*) FROM events e WHERE e.kind IN ('answer_added', "
                  "'answer_edited', 'answer_restored') AND NOT EXISTS "
                  "(SELECT 1 FROM revisions r WHERE r.id = e.revision_id)"),
            "0\n")
      << "an event without its revision";
  EXPECT_EQ(Query(path,
                  "SELECT count(*) FROM (SELECT count(*) AS c, max(number) AS m FROM revisions "
                  "GROUP BY answer_id) WHERE c != m"),
            "0\n")
      << "revision numbers with a gap";
  EXPECT_EQ(Query(path,
                  "SELECT count(*) FROM answers a WHERE NOT EXISTS "
                  "(SELECT 1 FROM revisions r WHERE r.answer_id = a.id)"),
            "0\n");
  std::set<std::string> stored;
  std::istringstream in(Query(path, "SELECT error_message FROM fetches"));
  for (std::string line; std::getline(in, line);) stored.insert(line);
  for (const std::string& tag : committed) {
    ASSERT_TRUE(stored.count(tag)) << tag << " was reported committed but is missing";
  }
}

TEST(CrashTest, KilledRefreshesAreNeverTorn) {
  testing::TempDir dir;
  const std::string path = dir.Path("crash.db");
  std::mt19937 rng(20260117);
  std::set<std::string> committed;
  int kills = 0;
  int kills_in_commit = 0;
  for (int round = 0; round < kKills; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      const std::string seed = std::to_string(round);
      execl(STORE_CRASH_CHILD, "store_crash_child", path.c_str(), seed.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    // A random kill point: after 0–3 commits the child reported, plus 0–8 ms, which lands
    // anywhere from before the open to the middle of a commit.
    CommitReader reader(fds[0]);
    const int wait_commits = static_cast<int>(rng() % 4);
    const size_t before = committed.size();
    reader.WaitFor(wait_commits, committed);
    usleep(static_cast<useconds_t>(rng() % 8000));
    kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    reader.Drain(committed);
    close(fds[0]);
    ASSERT_GE(committed.size(), before + static_cast<size_t>(wait_commits));
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the child ended by itself (status " << status << ") in round " << round;
    ++kills;
    kills_in_commit += reader.in_commit();
    CheckArchive(path, committed, round);
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_EQ(kills, kKills);
  std::printf("crash test: %d kills (%d inside a commit), %zu refreshes reported committed, "
              "all found whole\n", kills, kills_in_commit, committed.size());
}

}  // namespace
}  // namespace archivist::store
