// CopyArchive and the list of what is copied (copy.h). The backends' halves are
// sqlite_store_copy.cc and pg_store_copy.cc; this file only drives them and checks that the
// source handed over every table and as many rows as it announced.
#include "store/copy.h"

#include <iterator>
#include <string>
#include <utility>

namespace archivist::store {
namespace {

using enum ColumnType;

constexpr CopyColumn kThreads[] = {
    {"id", kInteger},          {"source", kText},
    {"source_id", kInteger},   {"title", kText},
    {"question_author", kText}, {"added_at", kInteger},
    {"first_archived_at", kInteger}, {"tracking", kText},
    {"discovered", kInteger},  {"track_until", kInteger},
    {"next_due_at", kInteger}, {"interval_s", kInteger},
    {"not_found_count", kInteger}, {"gone_at", kInteger},
    {"version", kInteger},     {"first_not_found_at", kInteger},
};
constexpr CopyColumn kFetches[] = {
    {"id", kInteger},         {"thread_id", kInteger},   {"started_at", kInteger},
    {"outcome", kText},       {"http_status", kInteger}, {"error_code", kText},
    {"error_message", kText}, {"pages", kInteger},       {"answer_count", kInteger},
    {"duration_ms", kInteger},
};
constexpr CopyColumn kAnswers[] = {
    {"id", kInteger},           {"thread_id", kInteger},    {"source_id", kInteger},
    {"author_name", kText},     {"state", kText},           {"first_seen_at", kInteger},
    {"last_seen_at", kInteger}, {"absent_count", kInteger}, {"position", kInteger},
};
constexpr CopyColumn kRevisions[] = {
    {"id", kInteger},          {"answer_id", kInteger},    {"number", kInteger},
    {"fetch_id", kInteger},    {"observed_at", kInteger},  {"created_time", kInteger},
    {"updated_time", kInteger}, {"content_hash", kText},   {"author_name", kText},
    {"html_size", kInteger},   {"html_zstd", kBlob},       {"markdown", kText},
    {"normalizer_version", kInteger},
};
constexpr CopyColumn kEvents[] = {
    {"id", kInteger},        {"thread_id", kInteger},   {"fetch_id", kInteger},
    {"at", kInteger},        {"kind", kText},           {"answer_id", kInteger},
    {"revision_id", kInteger}, {"details", kText},
};
constexpr CopyColumn kOrders[] = {
    {"id", kInteger}, {"thread_id", kInteger}, {"at", kInteger}, {"answer_ids", kText},
};

constexpr CopyColumn kMedia[] = {
    {"id", kInteger},   {"sha256", kText}, {"media_type", kText},
    {"size", kInteger}, {"data", kBlob},   {"fetched_at", kInteger},
};
constexpr CopyColumn kMediaRefs[] = {
    {"id", kInteger},          {"revision_id", kInteger}, {"position", kInteger},
    {"url", kText},            {"status", kText},         {"sha256", kText},
    {"reason", kText},         {"http_status", kInteger}, {"attempts", kInteger},
    {"next_try_at", kInteger},
};
constexpr CopyColumn kMediaFetches[] = {
    {"id", kInteger},          {"url", kText},    {"at", kInteger}, {"status", kText},
    {"http_status", kInteger}, {"reason", kText}, {"sha256", kText},
};

// Parents first: a media_refs row names its revision and its image.
constexpr CopyTable kTables[] = {
    {"threads", kThreads},     {"fetches", kFetches},      {"answers", kAnswers},
    {"revisions", kRevisions}, {"events", kEvents},        {"orders", kOrders},
    {"media", kMedia},         {"media_refs", kMediaRefs}, {"media_fetches", kMediaFetches},
};

// Passes rows on to the destination, counting them, reporting progress, and checking that
// the source keeps to the protocol (every table, in order, as many rows as announced).
class CheckingSink final : public ArchiveSink {
 public:
  CheckingSink(ArchiveSink& to, const CopyProgress& progress) : to_(to), progress_(progress) {}

  Status BeginTable(const CopyTable& table, int64_t rows) override {
    const size_t next = counts_.tables.size();
    if (next >= std::size(kTables) || table.name != kTables[next].name) {
      return Status::Internal("the archive copy met table " + std::string(table.name) +
                              " out of order");
    }
    table_ = &table;
    announced_ = rows;
    done_ = 0;
    counts_.tables.emplace_back(std::string(table.name), 0);
    Report();
    return to_.BeginTable(table, rows);
  }

  Status Write(const CopyRow& row) override {
    if (row.size() != table_->columns.size()) {
      return Status::Internal("a row of " + std::string(table_->name) + " has " +
                              std::to_string(row.size()) + " values, not " +
                              std::to_string(table_->columns.size()));
    }
    ARCHIVIST_RETURN_IF_ERROR(to_.Write(row));
    if (++done_ % 256 == 0) Report();
    return Status::Ok();
  }

  Status EndTable() override {
    if (done_ != announced_) {
      return Status::Internal("the source announced " + std::to_string(announced_) + " rows of " +
                              std::string(table_->name) + " and gave " + std::to_string(done_));
    }
    counts_.tables.back().second = done_;
    Report();
    return to_.EndTable();
  }

  Status Commit() override {
    if (counts_.tables.size() != std::size(kTables)) {
      return Status::Internal("the archive copy ended after " +
                              std::to_string(counts_.tables.size()) + " of " +
                              std::to_string(std::size(kTables)) + " tables");
    }
    return to_.Commit();
  }

  CopyCounts counts() const { return counts_; }

 private:
  void Report() {
    if (progress_) progress_(table_->name, done_, announced_);
  }

  ArchiveSink& to_;
  const CopyProgress& progress_;
  const CopyTable* table_ = nullptr;
  int64_t announced_ = 0;
  int64_t done_ = 0;
  CopyCounts counts_;
};

}  // namespace

std::span<const CopyTable> CopiedTables() { return kTables; }

std::span<const std::string_view> NotCopied() {
  static constexpr std::string_view kNotCopied[] = {"threads.lease_owner", "threads.lease_until",
                                                     "daemons.*", "marks.*"};
  return kNotCopied;
}

Status NotEmptyError(std::string_view archive, int64_t threads, std::string_view table) {
  return Status::InvalidArgument(
      std::string(archive) + " is not empty (it holds " + std::to_string(threads) +
      " threads and rows in " + std::string(table) +
      "); copy-archive writes only into an empty archive, so nothing was written");
}

Result<CopyCounts> CopyArchive(Store& from, Store& to, const CopyProgress& progress) {
  Result<std::unique_ptr<ArchiveSink>> sink = to.BeginLoad();
  if (!sink.ok()) return sink.status();
  CheckingSink checking(**sink, progress);
  ARCHIVIST_RETURN_IF_ERROR(from.DumpTo(checking));
  ARCHIVIST_RETURN_IF_ERROR(checking.Commit());
  return checking.counts();
}

}  // namespace archivist::store
