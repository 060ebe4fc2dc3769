// PgStore: the maintenance operations — Renormalize (batches of committed rewrites, as
// SqliteStore's) and Backup, which a PostgreSQL archive refuses (pg_dump or copy-archive).
#include <utility>
#include <vector>

#include "store/pg_conn.h"
#include "store/pg_store.h"
#include "store/zstd_codec.h"

namespace archivist::store {

Result<int64_t> PgStore::Renormalize(int version, const Renormalizer& convert) {
  int64_t total = 0;
  int64_t after_id = 0;
  for (;;) {
    Result<int64_t> n = RenormalizeBatch(version, convert, &after_id);
    if (!n.ok()) return n.status();
    if (*n < 0) return total;
    total += *n;
  }
}

// Reads up to a batch of stale revisions after *after_id (outside a transaction: nothing is
// held while converting), then writes their new Markdown in one transaction. Returns the
// number rewritten, or -1 when there was nothing left to read.
Result<int64_t> PgStore::RenormalizeBatch(int version, const Renormalizer& convert,
                                          int64_t* after_id) {
  constexpr int kBatch = 200;
  std::vector<std::pair<int64_t, std::string>> converted;
  {
    Result<PgRows> q = db_->Query(
        "SELECT id, html_zstd FROM revisions WHERE normalizer_version <> $1 AND id > $2 "
        "ORDER BY id LIMIT $3",
        {int64_t{version}, *after_id, int64_t{kBatch}});
    if (!q.ok()) return q.status();
    for (int i = 0; i < q->size(); ++i) {
      Result<std::string> html = Decompress(q->Bytea(i, 1));
      if (!html.ok()) {
        return html.status().WithContext("revision row " + std::to_string(q->Int(i, 0)) +
                                         " of " + db_->name());
      }
      converted.emplace_back(q->Int(i, 0), convert(*html));
    }
  }
  if (converted.empty()) return -1;
  *after_id = converted.back().first;
  Status st = InTransaction([&]() -> Status {
    for (const auto& [id, markdown] : converted) {
      ARCHIVIST_RETURN_IF_ERROR(Fault("update markdown"));
      Result<PgRows> w = db_->Query(
          "UPDATE revisions SET markdown = $1, normalizer_version = $2 WHERE id = $3",
          {markdown, int64_t{version}, id});
      if (!w.ok()) return w.status();
    }
    return Fault("commit");
  });
  if (!st.ok()) return st;
  return static_cast<int64_t>(converted.size());
}

Status PgStore::Backup(const std::string& path) {
  return Status::InvalidArgument("backing up to " + path + ": a PostgreSQL archive (" +
                                 db_->name() + ") is not copied to a file by archivist; " +
                                 "use pg_dump, or copy-archive into an SQLite file");
}

std::vector<ProtectedFile> PgStore::Files() const { return {}; }

}  // namespace archivist::store
