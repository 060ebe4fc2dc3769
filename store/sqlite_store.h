// SqliteStore: the Store on one SQLite file, the embedded default.
//
// Open() checks the file before writing anything (schema.h), then runs in WAL mode with
// foreign keys on and a busy timeout, so `archivist history` can read while a daemon writes.
// Each CommitRefresh is one BEGIN IMMEDIATE … COMMIT. With synchronous_full (the default) a
// commit that returned OK survives power loss; with it off, a crash of the process still
// loses nothing committed, a power cut may lose the last commits but never tears one.
//
// Fault injection (tests): SetFaultHook installs a function called before every write
// statement of CommitRefresh and Renormalize and before their COMMIT, with a short name of
// the operation; a non-OK Status it returns fails that operation as a real error would.
//
// Thread-safety: one object per thread (see store.h).
#ifndef ARCHIVIST_STORE_SQLITE_STORE_H_
#define ARCHIVIST_STORE_SQLITE_STORE_H_

#include <functional>
#include <memory>
#include <span>
#include <string>

#include "store/store.h"

namespace archivist::store {

class Db;
struct Migration;

struct SqliteOptions {
  bool create = true;          // create the file when missing (else kNotFound)
  bool read_only = false;      // for queries: never write (implies !create; no migration)
  int busy_timeout_ms = 5000;
  bool synchronous_full = true;
  int64_t max_pages = 0;       // tests: cap the file (PRAGMA max_page_count) to simulate a full disk
  // Check the whole file at open (PRAGMA quick_check) and refuse a damaged one (kCorruption,
  // saying what to do) before anything is written. Costs a read of the whole file: ~0.8 s
  // per GB when cached, disk speed otherwise (docs/store.md).
  bool check_integrity = false;
};

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const SqliteOptions& options = {});
  // Tests only: open with an explicit list of migrations (to test future versions).
  static Result<std::unique_ptr<SqliteStore>> OpenWithMigrations(
      const std::string& path, const SqliteOptions& options,
      std::span<const Migration> migrations);
  ~SqliteStore() override;

  using FaultHook = std::function<Status(std::string_view operation)>;
  void SetFaultHook(FaultHook hook) { fault_hook_ = std::move(hook); }

  Result<bool> AddThread(const ThreadKey& key, Timestamp now, bool discovered = false,
                         std::optional<Timestamp> track_until = std::nullopt) override;
  Status SetTracking(const ThreadKey& key, Tracking tracking) override;
  Status SetSchedule(const ThreadKey& key, const Schedule& schedule) override;
  Result<std::vector<ThreadSummary>> ListThreads() override;
  Result<ThreadSummary> GetThread(const ThreadKey& key) override;
  Result<std::vector<ThreadKey>> DueThreads(Timestamp now, int limit) override;

  Result<model::ThreadState> LoadState(const ThreadKey& key) override;
  Status CommitRefresh(const RefreshRecord& record) override;

  Result<std::vector<EventRecord>> Events(const EventQuery& query) override;
  Result<std::vector<ChangeRecord>> Changes(Timestamp since) override;
  Result<std::vector<ChangeRecord>> LatestChanges(size_t count) override;
  Result<std::vector<FetchRecord>> FetchRecords(const ThreadKey& key) override;
  Result<std::vector<RevisionRecord>> Revisions(const AnswerKey& answer) override;
  Result<RevisionRecord> GetRevision(const AnswerKey& answer, int number,
                                     bool with_html = false) override;
  Result<std::string> GetRevisionHtml(const AnswerKey& answer, int number) override;
  Result<ThreadAt> ThreadAtTime(const ThreadKey& key, Timestamp at,
                                bool with_markdown = true) override;

  Result<int64_t> Renormalize(int version, const Renormalizer& convert) override;
  Status Backup(const std::string& path) override;

  Result<std::vector<MediaTask>> DueMedia(const ThreadKey& thread, Timestamp now,
                                          int limit) override;
  Status RecordMediaFetch(const MediaFetchRecord& fetch) override;
  Result<std::vector<MediaRefRecord>> MediaRefs(
      const ThreadKey& thread, std::optional<model::AnswerId> answer = std::nullopt) override;
  Result<MediaBlob> GetMedia(const std::string& sha256) override;
  Status ForEachMedia(const std::function<Status(const MediaBlob&)>& visit) override;
  std::vector<ProtectedFile> Files() const override;

  Status DumpTo(ArchiveSink& sink) override;
  Result<std::unique_ptr<ArchiveSink>> BeginLoad() override;
  // Claims and leases (store.h).
  Result<Claims> ClaimThreads(const std::vector<ThreadKey>& keys, const std::string& owner,
                              Timestamp now, Timestamp lease_until) override;
  Result<bool> ReleaseClaim(const ThreadKey& key, const std::string& owner,
                            const std::optional<Schedule>& schedule) override;
  Status RegisterDaemon(const DaemonRecord& daemon) override;
  Result<int> Heartbeat(const std::string& id, Timestamp now, Timestamp lease_until) override;
  Status DeregisterDaemon(const std::string& id) override;
  Result<std::vector<DaemonRecord>> Daemons(Timestamp now) override;
  Result<bool> TryDiscoveryLock() override;
  Result<std::optional<Timestamp>> GetMark(const std::string& name) override;
  Status SetMark(const std::string& name, Timestamp at) override;

 private:
  explicit SqliteStore(std::unique_ptr<Db> db);
  Status Fault(std::string_view operation) const;
  Result<int64_t> ThreadRowId(const ThreadKey& key);
  Result<int64_t> AnswerRowId(const AnswerKey& answer, model::QuestionId* question);
  Status CommitInTransaction(const RefreshRecord& record);
  Status WriteThread(int64_t thread_row, const RefreshRecord& record);
  Status WriteAnswers(int64_t thread_row, const RefreshRecord& record);
  Status WriteRevisions(int64_t thread_row, int64_t fetch_row, const RefreshRecord& record);
  Status WriteEvents(int64_t thread_row, int64_t fetch_row, const RefreshRecord& record);
  Status WriteOrder(int64_t thread_row, const RefreshRecord& record);
  Status WriteMediaRefs(int64_t revision_row, const std::vector<std::string>& urls);
  Result<int64_t> RenormalizeBatch(int version, const Renormalizer& convert, int64_t* after_id);
  Result<ThreadSummary> SummaryOf(int64_t thread_row);
  Status CopyInto(const std::string& tmp);

  std::unique_ptr<Db> db_;
  FaultHook fault_hook_;
};

}  // namespace archivist::store

#endif  // ARCHIVIST_STORE_SQLITE_STORE_H_
