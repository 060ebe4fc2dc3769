// model/change.h: the plain structs that diff/ and store/ exchange about one refresh.
//
// The store loads a ThreadState (what the archive currently believes about a thread); the
// classifier (diff/classify.h) compares it with a Snapshot and produces a ChangeSet (events,
// new revisions, answer and thread state updates); the store commits the ChangeSet in one
// transaction. diff/ and store/ never include each other, so both sides of that exchange
// live here, header-only, with no behaviour beyond naming.
#ifndef ARCHIVIST_MODEL_CHANGE_H_
#define ARCHIVIST_MODEL_CHANGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"

namespace archivist::model {

// The eight event kinds (store/SCHEMA.md "events"). Their names are stored and printed
// (`history --json`): never rename one; new kinds go at the end.
enum class EventKind {
  kThreadAdded,     // first usable snapshot of the thread; details = the title
  kTitleChanged,    // details = the new title
  kAnswerAdded,     // references revision 1 of the answer
  kAnswerEdited,    // references the new revision
  kAnswerDeleted,   // details = the evidence ("probe: gone" or "absent from K complete listings")
  kAnswerRestored,  // references the revision in effect after the restore
  kThreadGone,      // not_found outcomes, enough of them over long enough; details = evidence
  kThreadReturned,  // a gone thread served again; details = since when it was gone
};

inline constexpr int kEventKindCount = 8;

constexpr std::string_view EventKindName(EventKind k) {
  switch (k) {
    case EventKind::kThreadAdded: return "thread_added";
    case EventKind::kTitleChanged: return "title_changed";
    case EventKind::kAnswerAdded: return "answer_added";
    case EventKind::kAnswerEdited: return "answer_edited";
    case EventKind::kAnswerDeleted: return "answer_deleted";
    case EventKind::kAnswerRestored: return "answer_restored";
    case EventKind::kThreadGone: return "thread_gone";
    case EventKind::kThreadReturned: return "thread_returned";
  }
  return "unknown";
}

inline std::optional<EventKind> ParseEventKind(std::string_view name) {
  for (EventKind k : {EventKind::kThreadAdded, EventKind::kTitleChanged, EventKind::kAnswerAdded,
                      EventKind::kAnswerEdited, EventKind::kAnswerDeleted,
                      EventKind::kAnswerRestored, EventKind::kThreadGone,
                      EventKind::kThreadReturned}) {
    if (EventKindName(k) == name) return k;
  }
  return std::nullopt;
}

// Events that must reference a revision (store/SCHEMA.md invariant E1).
constexpr bool EventNeedsRevision(EventKind k) {
  return k == EventKind::kAnswerAdded || k == EventKind::kAnswerEdited ||
         k == EventKind::kAnswerRestored;
}

enum class AnswerState { kPresent, kDeleted };

// What the archive currently holds about one answer: enough to classify a snapshot.
struct StoredAnswer {
  AnswerId id = 0;
  AnswerState state = AnswerState::kPresent;
  std::string author_name;   // the latest seen
  int latest_revision = 0;   // number of the newest revision (1-based)
  std::string content_hash;  // hash of the newest revision's raw HTML
  int64_t updated_time = 0;  // the source's updated_time of the newest revision
  int absent_count = 0;      // consecutive complete listings that lacked it
};

// What the archive currently holds about one thread.
struct ThreadState {
  QuestionId id = 0;
  bool archived = false;       // a usable snapshot was stored (thread_added recorded)
  std::string title;
  std::string question_author;
  int not_found_count = 0;     // consecutive not_found outcomes
  int64_t first_not_found_us = 0;  // when the first of them was observed (0: none)
  bool gone = false;           // thread_gone recorded and not seen since
  int64_t gone_at_us = 0;      // when thread_gone was recorded (0: not gone)
  int64_t version = 0;         // bumped by every commit; guards against concurrent refreshes
  std::vector<StoredAnswer> answers;  // every answer ever seen, in current listing order
};

// A revision to store. The classifier fills everything but `markdown` and
// `normalizer_version`, which the pipeline derives (normalize/) for new revisions only.
struct NewRevision {
  AnswerId answer_id = 0;
  int number = 0;            // latest_revision + 1 (1 for a new answer)
  std::string content_hash;
  std::string html;          // raw content HTML, exactly as served
  std::string author_name;   // author display name when observed
  int64_t created_time = 0;
  int64_t updated_time = 0;
  std::string markdown;
  int normalizer_version = 0;
  // The images the answer shows, in order, without repeats (normalize::ImageUrls); empty
  // when media archiving is off. The store links them to the revision (docs/media.md).
  std::vector<std::string> image_urls;
};

// The new state of one answer that the snapshot touched.
struct AnswerUpdate {
  AnswerId id = 0;
  bool is_new = false;        // first time seen: insert
  AnswerState state = AnswerState::kPresent;
  std::string author_name;
  int absent_count = 0;
  bool seen = false;          // present in this snapshot: last_seen := observed time
};

struct Event {
  EventKind kind = EventKind::kThreadAdded;
  AnswerId answer_id = 0;     // 0 for thread events
  int revision = 0;           // revision number of answer_id; 0 = none
  std::string details;
};

struct ThreadUpdate {
  std::optional<std::string> title;            // set: store this title
  std::optional<std::string> question_author;  // set: store this author
  bool first_archive = false;  // this refresh archives the thread for the first time
  int not_found_count = 0;
  int64_t first_not_found_us = 0;  // the first of the not_found_count outcomes (0: none)
  bool gone = false;           // thread_gone is (still) in force after this refresh
};

// Everything one refresh changes, computed from a ThreadState of `base_version`.
struct ChangeSet {
  int64_t base_version = 0;
  ThreadUpdate thread;
  std::vector<AnswerUpdate> answers;
  std::vector<NewRevision> revisions;
  std::vector<Event> events;
  // The listing order to record (every answer the archive orders, present or not); set only
  // when the refresh produced events, so a document changes only with an event.
  std::optional<std::vector<AnswerId>> order;

  int Count(EventKind k) const {
    int n = 0;
    for (const Event& e : events) n += e.kind == k;
    return n;
  }
};

}  // namespace archivist::model

#endif  // ARCHIVIST_MODEL_CHANGE_H_
