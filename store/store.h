// store: the archive of threads, answers, revisions, events and fetch records.
//
// Store is an interface so that SQLite (sqlite_store.h, the embedded default) and any other
// database behind it are interchangeable: nothing here names a database, a row id or
// an SQL type. Identity is (source, question id) for threads and (source, question id,
// answer id) for answers (AnswerKey); every time is a Timestamp (UTC, microseconds).
//
// The write path of one refresh (see diff/classify.h for the classifier):
//   LoadState(thread) → Classify → CommitRefresh(record)
// CommitRefresh applies the fetch record, events, revisions, answer and thread state of one
// refresh in ONE transaction: all of it is stored or none of it. It refuses (kUnavailable)
// a change set computed from a state that another writer has changed since (base_version).
//
// Errors: kNotFound for an unknown thread/answer/revision (message names it), kCorruption
// for a file that is not an archivist database or is damaged, kInvalidArgument for a store
// of a newer schema or bad arguments, kIoError for read-only, full or failing storage.
// A failed call leaves the archive as it was.
//
// Thread-safety: one Store object per thread; several processes may open the same archive
// (writers are serialized by the database, waiting up to a busy timeout).
#ifndef ARCHIVIST_STORE_STORE_H_
#define ARCHIVIST_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/file_identity.h"
#include "base/status.h"
#include "base/time.h"
#include "model/change.h"
#include "model/model.h"

namespace archivist::store {

inline constexpr std::string_view kZhihu = "zhihu";

struct ThreadKey {
  std::string source = std::string(kZhihu);
  model::QuestionId id = 0;
};

// An answer id is unique per thread, not per source: the same id may (never expected) be
// stored under two questions. `question` scopes a lookup to one thread; 0 means any thread,
// and such a lookup fails (kInvalidArgument, naming the questions) when the id is ambiguous.
struct AnswerKey {
  std::string source = std::string(kZhihu);
  model::AnswerId id = 0;
  model::QuestionId question = 0;
};

// "zhihu:123": how messages and logs name a thread or an answer.
inline std::string ToString(const ThreadKey& key) {
  return key.source + ":" + std::to_string(key.id);
}
inline std::string ToString(const AnswerKey& key) {
  return key.source + ":" + std::to_string(key.id);
}

enum class Tracking { kActive, kRemoved, kRetired };
std::string_view TrackingName(Tracking t);

struct FetchRecord {
  Timestamp started_at;
  model::Outcome outcome = model::Outcome::kTransient;
  int http_status = 0;
  std::string error_code;
  std::string error_message;
  int pages = 0;
  int answer_count = 0;   // answers the snapshot carried
  int64_t duration_ms = 0;
};

struct Schedule {
  Timestamp next_due;
  int64_t interval_seconds = 0;
};

// Everything one refresh stores. `observed_at` stamps its events and revisions.
struct RefreshRecord {
  ThreadKey thread;
  Timestamp observed_at;
  FetchRecord fetch;
  model::ChangeSet changes;            // empty for a failed fetch
  // A next due time known at commit time, stored in the same transaction. The daemon's
  // scheduler decides after the refresh and stores its decision with SetSchedule.
  std::optional<Schedule> schedule;
};

struct ThreadSummary {
  ThreadKey key;
  std::string title;
  Tracking tracking = Tracking::kActive;
  bool discovered = false;
  std::optional<Timestamp> track_until;     // discovered threads: retire after this
  Timestamp added_at;
  std::optional<Timestamp> first_archived;  // unset until the first usable snapshot
  std::optional<Timestamp> last_event;
  // When the last fetch ended: never before the events it recorded, so never before
  // last_event (every event comes from a fetch, stamped after the fetch's start).
  std::optional<Timestamp> last_fetch;
  std::string last_outcome;                 // outcome name of the last fetch, "" if none
  std::optional<Schedule> schedule;
  int present_answers = 0;
  bool gone = false;
};

struct EventRecord {
  Timestamp at;
  model::EventKind kind = model::EventKind::kThreadAdded;
  ThreadKey thread;
  std::optional<model::AnswerId> answer;
  int revision = 0;  // 0 = none
  std::string details;
};

// One event of the whole archive with what a reader of `changes` needs beside it.
struct ChangeRecord {
  EventRecord event;
  std::string title;   // the thread's latest title ('' before its first usable snapshot)
  std::string author;  // answer events: the author of the event's revision, else the answer's
                       // latest; '' for thread events
};

struct EventQuery {
  ThreadKey thread;
  std::optional<model::AnswerId> answer;  // only this answer's events
  std::optional<Timestamp> since;         // events at or after this time
};

struct RevisionRecord {
  AnswerKey answer;
  model::QuestionId question = 0;
  int number = 0;
  Timestamp observed_at;
  int64_t created_time = 0;  // as the source reported, Unix seconds
  int64_t updated_time = 0;
  std::string content_hash;
  std::string author_name;
  std::string markdown;
  int normalizer_version = 0;
  std::string html;  // filled only by GetRevision(…, with_html = true)
};

// One answer of a thread as it was at some time.
struct AnswerAt {
  model::AnswerId id = 0;
  int revision = 0;
  std::string author_name;  // as observed with that revision
  std::string markdown;
};

// A thread as it was at some time T: what `show --at T` renders.
struct ThreadAt {
  ThreadKey key;
  std::string title;            // as of T
  std::string question_author;  // the latest known
  Timestamp first_archived;
  Timestamp last_event;         // the latest event at or before T
  std::vector<AnswerAt> answers;  // present at T, in the listing order recorded at or before T
};

class ArchiveSink;  // store/copy.h

// Several daemons on one archive (the claim block of Store below).
// One refused claim: why, as the time to ask again.
struct ClaimRefusal {
  ThreadKey key;
  // When the thread may be claimable: its stored next due time, or the end of another
  // owner's live lease, whichever is later (at or before `now`: its row was busy, ask again
  // soon). Unset: the thread is no longer active or not in the archive.
  std::optional<Timestamp> retry_at;
};

struct Claims {
  std::vector<ThreadKey> claimed;    // now held by the owner until the lease's end
  std::vector<ThreadKey> takeovers;  // of `claimed`: the previous lease had expired unreleased
  std::vector<ClaimRefusal> refused;
};

// A daemon working on the archive, as it registered itself.
struct DaemonRecord {
  std::string id;       // unique per process: "<host>-<pid>-<random>"
  std::string host;
  int64_t pid = 0;
  std::string version;  // archivist's version
  Timestamp started;
  Timestamp heartbeat;  // its last heartbeat
  int threads_held = 0;  // threads under its live lease (Daemons() fills it)
};

// Re-derives Markdown from raw HTML (normalize::HtmlToMarkdown bound to its options).
using Renormalizer = std::function<std::string(std::string_view html)>;


// ---- Media: the images the answers show (docs/media.md, store/SCHEMA.md "media") ----------
//
// A new revision's image URLs (model::NewRevision::image_urls) are linked to it by
// CommitRefresh in the refresh's own transaction, each `pending` — or `stored` at once when
// the same URL was stored for an earlier revision. The bytes are fetched after the commit
// (media/media_step.h) and recorded with RecordMediaFetch, one transaction per fetch; an
// image is stored once per SHA-256 however many revisions show it.

enum class MediaStatus { kPending, kStored, kNotFound, kForbidden, kTooLarge, kFailed };
std::string_view MediaStatusName(MediaStatus s);  // "pending", "stored", "not_found", …
std::optional<MediaStatus> ParseMediaStatus(std::string_view name);

// A URL with refs still pending whose next try is due.
struct MediaTask {
  std::string url;
  int attempts = 0;  // fetches tried so far
};

// The result of one fetch of one URL: applied to every pending ref of the URL.
struct MediaFetchRecord {
  std::string url;
  Timestamp at;
  MediaStatus status = MediaStatus::kFailed;  // kPending: a transient failure, tried again
  int http_status = 0;
  std::string reason;      // why it is not stored ("" when stored)
  std::optional<Timestamp> next_try;  // kPending only: when to try again
  std::string sha256;      // kStored: lowercase hex of `data`
  std::string media_type;  // kStored: the response's Content-Type (image/…)
  std::string data;        // kStored: the bytes
};

// One image link of one revision, with what is known of it.
struct MediaRefRecord {
  AnswerKey answer;
  int revision = 0;
  Timestamp observed_at;  // the revision's
  int position = 0;       // order in the revision's HTML, from 0
  std::string url;
  MediaStatus status = MediaStatus::kPending;
  std::string reason;
  int http_status = 0;
  int attempts = 0;
  std::string sha256;      // stored only
  std::string media_type;  // stored only
  int64_t size = 0;        // stored only
  std::optional<Timestamp> fetched_at;  // when the stored bytes were fetched
};

struct MediaBlob {
  std::string sha256;
  std::string media_type;
  std::string data;
  Timestamp fetched_at;
};

class MediaStore {
 public:
  virtual ~MediaStore() = default;
  // URLs of `thread`'s revisions still pending whose next try is at or before `now`, the
  // fewest attempts first, at most `limit`.
  virtual Result<std::vector<MediaTask>> DueMedia(const ThreadKey& thread, Timestamp now,
                                                  int limit) = 0;
  // Stores the bytes (once per hash), appends the fetch to the URL's history and updates
  // every pending ref of the URL, in one transaction.
  virtual Status RecordMediaFetch(const MediaFetchRecord& fetch) = 0;
  // The image links of a thread's revisions (of one answer when given), by answer, revision
  // and position. kNotFound for an unknown thread.
  virtual Result<std::vector<MediaRefRecord>> MediaRefs(
      const ThreadKey& thread, std::optional<model::AnswerId> answer = std::nullopt) = 0;
  // kNotFound when no image has that hash.
  virtual Result<MediaBlob> GetMedia(const std::string& sha256) = 0;
  // Every stored image, one at a time (the integrity check); stops at the first error
  // `visit` returns.
  virtual Status ForEachMedia(const std::function<Status(const MediaBlob&)>& visit) = 0;
};

// ---- end of media --------------------------------------------------------------------------

class Store : public MediaStore {
 public:
  virtual ~Store() = default;

  // Tracking. AddThread returns false when the thread was already tracked and active; a
  // removed or retired thread becomes active again (its history is kept).
  virtual Result<bool> AddThread(const ThreadKey& key, Timestamp now, bool discovered = false,
                                 std::optional<Timestamp> track_until = std::nullopt) = 0;
  virtual Status SetTracking(const ThreadKey& key, Tracking tracking) = 0;
  virtual Status SetSchedule(const ThreadKey& key, const Schedule& schedule) = 0;
  virtual Result<std::vector<ThreadSummary>> ListThreads() = 0;
  virtual Result<ThreadSummary> GetThread(const ThreadKey& key) = 0;
  // Active threads whose next_due is unset or at or before `now`, earliest first.
  virtual Result<std::vector<ThreadKey>> DueThreads(Timestamp now, int limit) = 0;

  // The refresh write path.
  virtual Result<model::ThreadState> LoadState(const ThreadKey& key) = 0;
  virtual Status CommitRefresh(const RefreshRecord& record) = 0;

  // History, oldest first (ties in commit order).
  virtual Result<std::vector<EventRecord>> Events(const EventQuery& query) = 0;
  // Every event of every thread at or after `since`, oldest first (ties in commit order),
  // with its thread's title and its answer's author: one query over the events' time index
  // (cost grows with the events returned, not with the archive). An empty result is OK.
  virtual Result<std::vector<ChangeRecord>> Changes(Timestamp since) = 0;
  // The newest `count` events of the archive (all when fewer), oldest first, as Changes has
  // them: one backward range over the same index (the Atom feed of everything).
  virtual Result<std::vector<ChangeRecord>> LatestChanges(size_t count) = 0;
  virtual Result<std::vector<FetchRecord>> FetchRecords(const ThreadKey& key) = 0;
  // Revisions of an answer, oldest first, without HTML. kNotFound when the answer is not in
  // the archive (under `answer.question`, when given); kInvalidArgument when no question is
  // given and the id is under several (see AnswerKey). GetRevision likewise.
  virtual Result<std::vector<RevisionRecord>> Revisions(const AnswerKey& answer) = 0;
  virtual Result<RevisionRecord> GetRevision(const AnswerKey& answer, int number,
                                             bool with_html = false) = 0;
  // The raw HTML of one revision alone (no Markdown read: a large answer is not held twice).
  virtual Result<std::string> GetRevisionHtml(const AnswerKey& answer, int number) = 0;
  // kNotFound when the thread was not yet archived at `at`. Without `with_markdown`, every
  // AnswerAt::markdown is left empty (GetRevision reads it an answer at a time).
  virtual Result<ThreadAt> ThreadAtTime(const ThreadKey& key, Timestamp at,
                                        bool with_markdown = true) = 0;

  // Replaces the Markdown of every revision whose normalizer version differs from
  // `version`, in batches of committed transactions, creating no events. Returns how many
  // revisions were rewritten. Interrupted, it resumes where it stopped on the next call.
  virtual Result<int64_t> Renormalize(int version, const Renormalizer& convert) = 0;

  // A consistent online copy of the whole archive at `path` (written to a temporary file
  // beside it, then renamed). Writers may continue meanwhile. A symbolic link at `path` is
  // followed (the file it names is replaced, the link stays). kInvalidArgument, before
  // anything is written, when `path` is one of Files() under any name (a link to it
  // included) or exists and is not a regular file (base/file_identity.h).
  virtual Status Backup(const std::string& path) = 0;

  // The files this store keeps on disk (the database and its sidecars, whether they exist
  // now or not), each with a name for messages. Outputs (backup, exports) never replace them.
  virtual std::vector<ProtectedFile> Files() const = 0;

  // ---- Copying a whole archive (store/copy.h: CopyArchive, `archivist copy-archive`) ----
  // Every row of every table (CopiedTables), table by table in id order, read inside one
  // read transaction (a consistent snapshot), into `sink`; a bounded batch of rows is held
  // at a time. Does not Commit the sink.
  virtual Status DumpTo(ArchiveSink& sink) = 0;
  // A sink that writes into this archive in ONE transaction, held until its Commit (other
  // writers wait meanwhile). kInvalidArgument naming the archive when it holds any row.
  virtual Result<std::unique_ptr<ArchiveSink>> BeginLoad() = 0;

  // ---- Several daemons on one archive: claims by lease, daemon records, discovery ----
  // (docs/store.md "Claims and leases"). A PostgreSQL archive is shared by any number of
  // daemons: a thread is refreshed only by the owner of its live lease. A file archive has
  // one daemon (its lock file, base/lock_file.h): its claims are always granted, it keeps no
  // leases and no daemon records, its discovery lock is always held, and its marks are small
  // files beside it (`<archive>.<name>`).

  // Claims each of `keys` that is active, due at `now` (next_due unset or at or before it)
  // and under no live lease of another owner (none, `owner`'s own, or one that ended at or
  // before `now`), for `owner` until `lease_until`. A thread whose row another transaction holds is refused, not waited for.
  virtual Result<Claims> ClaimThreads(const std::vector<ThreadKey>& keys, const std::string& owner,
                                      Timestamp now, Timestamp lease_until) = 0;
  // Ends `owner`'s claim of `key` and, when given, stores `schedule` in the same statement.
  // False, writing nothing, when the thread is no longer `owner`'s (its lease ended and
  // another owner claimed it).
  virtual Result<bool> ReleaseClaim(const ThreadKey& key, const std::string& owner,
                                    const std::optional<Schedule>& schedule) = 0;
  // Records a daemon (replacing a record of the same id) and forgets records whose heartbeat
  // is older than a day.
  virtual Status RegisterDaemon(const DaemonRecord& daemon) = 0;
  // Stamps `id`'s heartbeat with `now` and extends every lease it holds to `lease_until`;
  // returns how many threads it holds. kNotFound when `id` is not registered.
  virtual Result<int> Heartbeat(const std::string& id, Timestamp now, Timestamp lease_until) = 0;
  // Releases every lease of `id` (their threads keep their schedules) and removes its record.
  virtual Status DeregisterDaemon(const std::string& id) = 0;
  // Every registered daemon, oldest first, with the threads under its lease live at `now`.
  virtual Result<std::vector<DaemonRecord>> Daemons(Timestamp now) = 0;
  // The discovery lock: true when this connection holds it (now or already). Held until the
  // store is closed or its connection lost, so one daemon at a time polls the hot list.
  virtual Result<bool> TryDiscoveryLock() = 0;
  // Named times shared by every process of the archive, e.g. "hot-list", the last poll.
  virtual Result<std::optional<Timestamp>> GetMark(const std::string& name) = 0;
  virtual Status SetMark(const std::string& name, Timestamp at) = 0;
};

}  // namespace archivist::store

#endif  // ARCHIVIST_STORE_STORE_H_
