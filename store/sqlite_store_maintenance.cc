// SqliteStore: the maintenance operations — Renormalize (batches of committed rewrites) and
// Backup (an online copy that never replaces the archive itself).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "store/sqlite_db.h"
#include "store/sqlite_store.h"
#include "store/zstd_codec.h"

namespace archivist::store {
namespace {

// Makes a rename in the directory of `path` durable (best effort: the copy itself is synced).
void SyncDirectoryOf(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

Result<int64_t> SqliteStore::Renormalize(int version, const Renormalizer& convert) {
  int64_t total = 0;
  int64_t after_id = 0;
  for (;;) {
    Result<int64_t> n = RenormalizeBatch(version, convert, &after_id);
    if (!n.ok()) return n.status();
    if (*n < 0) return total;  // no more revisions to look at
    total += *n;
  }
}

// Reads up to a batch of stale revisions after *after_id (no lock held while converting),
// then writes their new Markdown in one transaction. Returns the number rewritten, or -1
// when there was nothing left to read.
Result<int64_t> SqliteStore::RenormalizeBatch(int version, const Renormalizer& convert,
                                              int64_t* after_id) {
  constexpr int kBatch = 200;
  std::vector<std::pair<int64_t, std::string>> converted;
  {
    Result<Stmt> q = db_->Prepare(
        "SELECT id, html_zstd FROM revisions WHERE normalizer_version != ?1 AND id > ?2 "
        "ORDER BY id LIMIT ?3");
    if (!q.ok()) return q.status();
    q->Bind(1, int64_t{version}).Bind(2, *after_id).Bind(3, int64_t{kBatch});
    for (;;) {
      Result<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      Result<std::string> html = Decompress(q->Blob(1));
      if (!html.ok()) {
        return html.status().WithContext("revision row " + std::to_string(q->Int(0)) + " of " +
                                         db_->path());
      }
      converted.emplace_back(q->Int(0), convert(*html));
    }
  }
  if (converted.empty()) return -1;
  *after_id = converted.back().first;
  Transaction txn(*db_);
  ARCHIVIST_RETURN_IF_ERROR(txn.Begin());
  Result<Stmt> w = db_->Prepare(
      "UPDATE revisions SET markdown = ?1, normalizer_version = ?2 WHERE id = ?3");
  if (!w.ok()) return w.status();
  for (const auto& [id, markdown] : converted) {
    ARCHIVIST_RETURN_IF_ERROR(w->Reset());
    w->Bind(1, markdown).Bind(2, int64_t{version}).Bind(3, id);
    ARCHIVIST_RETURN_IF_ERROR(Fault("update markdown"));
    ARCHIVIST_RETURN_IF_ERROR(w->Run());
  }
  ARCHIVIST_RETURN_IF_ERROR(Fault("commit"));
  ARCHIVIST_RETURN_IF_ERROR(txn.Commit());
  return static_cast<int64_t>(converted.size());
}

std::vector<ProtectedFile> SqliteStore::Files() const {
  const std::string& p = db_->path();
  return {{p, "the archive"},
          {p + "-wal", "the archive's write-ahead log"},
          {p + "-shm", "the archive's shared-memory index"},
          {p + "-journal", "the archive's rollback journal"}};
}

// The copy is written to a fresh temporary file beside the destination (mkstemp: never an
// existing file), then renamed over it. Before anything is written, the destination must not
// be the archive or one of its sidecars under any name: renaming a copy over the live file
// leaves every open connection writing into an unlinked inode, and every later commit lost.
Status SqliteStore::Backup(const std::string& path) {
  std::string dest = path;
  struct stat link {};
  if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
    std::error_code ec;  // a dangling link stays what is replaced
    const std::filesystem::path real = std::filesystem::canonical(path, ec);
    if (!ec) dest = real.string();
  }
  if (Status st = CheckReplaceable(dest, Files()); !st.ok()) {
    return dest == path ? st : st.WithContext("backing up to " + path);
  }
  std::string tmp = dest + ".archivist-tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    return Status::IoError("backing up to " + dest + ": cannot create a temporary file beside it: " +
                           std::strerror(errno));
  }
  ::close(fd);
  Status st = CopyInto(tmp);
  if (st.ok() && ::rename(tmp.c_str(), dest.c_str()) != 0) {
    st = Status::IoError("backing up: cannot rename " + tmp + " to " + dest + ": " +
                         std::strerror(errno));
  }
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  SyncDirectoryOf(dest);
  return Status::Ok();
}

// sqlite3_backup of the whole database into the empty file `tmp`.
Status SqliteStore::CopyInto(const std::string& tmp) {
  Result<std::unique_ptr<Db>> dest = Db::Open(tmp, true);
  if (!dest.ok()) return dest.status().WithContext("backing up");
  struct Finisher {
    void operator()(sqlite3_backup* b) const { sqlite3_backup_finish(b); }
  };
  std::unique_ptr<sqlite3_backup, Finisher> backup(
      sqlite3_backup_init((*dest)->get(), "main", db_->get(), "main"));
  if (!backup) return SqliteError((*dest)->get(), sqlite3_errcode((*dest)->get()), tmp, "backing up");
  int rc;
  while ((rc = sqlite3_backup_step(backup.get(), -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    sqlite3_sleep(50);
  }
  backup.reset();  // finish: reports the step's error on the destination handle
  if (rc != SQLITE_DONE) return SqliteError((*dest)->get(), rc, tmp, "backing up " + db_->path());
  // sqlite3_backup copies pages as they are: a damaged archive gives a damaged copy. The
  // copy is checked, not the archive, so what is renamed into place is what was verified.
  if (Status st = (*dest)->QuickCheck(db_->path()); !st.ok()) {
    return st.WithContext("backing up: nothing was written (the copy was checked)");
  }
  return Status::Ok();
}

}  // namespace archivist::store
