// PgStore: the Store on a PostgreSQL database, for an archive shared by several daemons.
//
// Open(uri) connects with libpq (pg_conn.h), identifies the database and migrates it
// (pg_schema.h) before anything else is written: another application's database and one of a
// newer archivist are refused untouched. Semantics are SqliteStore's (store.h, SCHEMA.md):
// each CommitRefresh is one transaction that locks the thread's row (SELECT … FOR UPDATE),
// checks its version against the change set's base_version, and writes the fetch record,
// thread, answers, revisions, events and order, or nothing. Ids are bigint (ids above 2^63
// are stored as their two's complement and read back exactly); raw HTML is zstd-compressed in
// bytea.
//
// Not yet: Backup (kInvalidArgument; pg_dump or copy-archive are the ways to copy it).
// Files() is empty: the archive is no file on this machine.
//
// Fault injection (tests): SetFaultHook, as SqliteStore's, with the same operation names.
//
// Thread-safety: one object per thread (one connection each); any number of processes may
// open the same database.
#ifndef ARCHIVIST_STORE_PG_STORE_H_
#define ARCHIVIST_STORE_PG_STORE_H_

#include <functional>
#include <memory>
#include <span>
#include <string>

#include "store/store.h"

namespace archivist::store {

class PgConn;
class PgRows;
struct Migration;

struct PgOptions {
  bool read_only = false;  // never write (no migration; the session is read-only)
};

class PgStore final : public Store {
 public:
  // `uri`: postgresql://[user@]host[:port]/database[?options] (libpq's URI syntax).
  static Result<std::unique_ptr<PgStore>> Open(const std::string& uri,
                                               const PgOptions& options = {});
  // Tests only: open with an explicit list of migrations (to test future versions).
  static Result<std::unique_ptr<PgStore>> OpenWithMigrations(
      const std::string& uri, const PgOptions& options, std::span<const Migration> migrations);
  ~PgStore() override;

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
  explicit PgStore(std::unique_ptr<PgConn> db);
  Status Fault(std::string_view operation) const;
  // Runs `body` inside BEGIN … COMMIT; rolls back when it (or the commit) fails.
  Status InTransaction(const std::function<Status()>& body);
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

  Result<std::optional<Timestamp>> RetryAt(const ThreadKey& key, Timestamp now);

  std::unique_ptr<PgConn> db_;
  FaultHook fault_hook_;
};

}  // namespace archivist::store

#endif  // ARCHIVIST_STORE_PG_STORE_H_
