// Classification of one snapshot against the stored state of its thread.
//
// The approach: index the stored answers by id, walk the snapshot's answers once (first
// occurrence wins: a listing whose order shifts between pages can repeat an answer) to find
// additions, edits and restorations, then — for a complete snapshot only — walk the stored
// present answers the listing lacked to advance their absence counts and decide deletions.
//
// Edge cases chosen (see classify.h for the rules R1–R7):
//  - "Changed" compares the hash of the raw HTML and the source's updated_time; anything
//    else (author name, votes, comments) updates state without an event.
//  - A restored answer whose content also moved gets one answer_restored event referencing
//    the new revision, not a restore plus an edit.
//  - A probe that says kExists blocks a deletion by count: the answer exists, the listing
//    merely hides it (Zhihu folds some answers). Its absence count still advances.
//  - Answers deleted earlier and still absent are left untouched.
//  - A thread that was gone and is served again records thread_returned (R8) as the first
//    event of that refresh; a not_modified reply is not "served again" (it carries nothing).
//  - thread_gone needs the count and the time span (R7); the span runs from the first
//    not_found of the current run, which the store keeps beside the count. A state with a
//    count but no first time (an archive written before the time was kept) starts the span
//    at this refresh: slower to declare, never quicker.
//  - The recorded order (set only when there are events) is the snapshot's order followed
//    by every other stored answer in its previous order, so a partial snapshot (a prefix of
//    the listing) keeps the tail where it was.
#include "diff/classify.h"

#include <unordered_map>
#include <unordered_set>

#include "diff/content_hash.h"

namespace archivist::diff {
namespace {

using model::AnswerId;
using model::AnswerState;
using model::ChangeSet;
using model::Event;
using model::EventKind;
using model::StoredAnswer;

std::vector<const model::Answer*> UniqueAnswers(const model::Snapshot& snapshot) {
  std::vector<const model::Answer*> out;
  std::unordered_set<AnswerId> seen;
  for (const model::Answer& a : snapshot.answers) {
    if (seen.insert(a.id).second) out.push_back(&a);
  }
  return out;
}

std::unordered_map<AnswerId, const StoredAnswer*> IndexStored(const model::ThreadState& state) {
  std::unordered_map<AnswerId, const StoredAnswer*> index;
  for (const StoredAnswer& a : state.answers) index[a.id] = &a;
  return index;
}

model::NewRevision MakeRevision(const model::Answer& a, int number, std::string hash) {
  model::NewRevision r;
  r.answer_id = a.id;
  r.number = number;
  r.content_hash = std::move(hash);
  r.html = a.content_html;
  r.author_name = a.author.name;
  r.created_time = a.created_time;
  r.updated_time = a.updated_time;
  return r;
}

void ClassifyThread(const model::ThreadState& state, const model::Snapshot& snapshot,
                    ChangeSet& cs) {
  const model::Question& q = snapshot.question;
  if (!state.archived) {
    cs.thread.first_archive = true;
    cs.thread.title = q.title;
    cs.events.push_back(Event{EventKind::kThreadAdded, 0, 0, q.title});
  } else if (!q.title.empty() && q.title != state.title) {
    cs.thread.title = q.title;
    cs.events.push_back(Event{EventKind::kTitleChanged, 0, 0, q.title});
  }
  const std::string author = q.show_author ? q.author.name : std::string();
  if (!state.archived || author != state.question_author) cs.thread.question_author = author;
}

// One answer the snapshot carries: added, edited, restored or unchanged.
void ClassifySeen(const model::Answer& a, const StoredAnswer* stored, ChangeSet& cs) {
  std::string hash = ContentHash(a.content_html);
  model::AnswerUpdate update;
  update.id = a.id;
  update.author_name = a.author.name;
  update.seen = true;
  if (stored == nullptr) {
    update.is_new = true;
    cs.revisions.push_back(MakeRevision(a, 1, std::move(hash)));
    cs.events.push_back(Event{EventKind::kAnswerAdded, a.id, 1, ""});
    cs.answers.push_back(std::move(update));
    return;
  }
  const bool changed = hash != stored->content_hash || a.updated_time != stored->updated_time;
  int revision = stored->latest_revision;
  if (changed) {
    revision = stored->latest_revision + 1;
    cs.revisions.push_back(MakeRevision(a, revision, std::move(hash)));
  }
  if (stored->state == AnswerState::kDeleted) {
    cs.events.push_back(Event{EventKind::kAnswerRestored, a.id, revision, ""});
  } else if (changed) {
    cs.events.push_back(Event{EventKind::kAnswerEdited, a.id, revision, ""});
  }
  cs.answers.push_back(std::move(update));
}

// The present answers a complete listing lacked: advance absence, maybe delete (R2, R3).
void ClassifyAbsent(const model::ThreadState& state, const std::unordered_set<AnswerId>& listed,
                    bool suspicious, const ProbeResults& probes, const ClassifyOptions& options,
                    ChangeSet& cs) {
  for (const StoredAnswer& a : state.answers) {
    if (a.state != AnswerState::kPresent || listed.count(a.id)) continue;
    const auto it = probes.find(a.id);
    const model::ProbeResult probe = it == probes.end() ? model::ProbeResult::kUnknown : it->second;
    model::AnswerUpdate update;
    update.id = a.id;
    update.author_name = a.author_name;
    update.absent_count = a.absent_count + 1;
    const bool by_count = !suspicious && probe != model::ProbeResult::kExists &&
                          update.absent_count >= options.delete_confirmations;
    if (probe == model::ProbeResult::kGone || by_count) {
      update.state = AnswerState::kDeleted;
      std::string why = probe == model::ProbeResult::kGone
                            ? "probe: gone"
                            : "absent from " + std::to_string(update.absent_count) +
                                  " consecutive complete listings";
      cs.events.push_back(Event{EventKind::kAnswerDeleted, a.id, 0, std::move(why)});
    }
    cs.answers.push_back(std::move(update));
  }
}

// R7: count the not_found outcome and its span; declare the thread gone once both suffice.
void ClassifyNotFound(const model::ThreadState& state, const ClassifyOptions& options,
                      Timestamp observed_at, ChangeSet& cs) {
  const int64_t now = observed_at.micros();
  cs.thread.not_found_count = state.not_found_count + 1;
  cs.thread.first_not_found_us =
      state.not_found_count > 0 && state.first_not_found_us > 0 ? state.first_not_found_us : now;
  if (state.gone || cs.thread.not_found_count < options.not_found_confirmations) return;
  if (now - cs.thread.first_not_found_us < options.gone_after_us) return;
  cs.thread.gone = true;
  cs.events.push_back(Event{
      EventKind::kThreadGone, 0, 0,
      std::to_string(cs.thread.not_found_count) + " consecutive not_found outcomes since " +
          Timestamp::FromMicros(cs.thread.first_not_found_us).ToIso8601()});
}

std::vector<AnswerId> MergedOrder(const model::ThreadState& state,
                                  const std::vector<const model::Answer*>& listed) {
  std::vector<AnswerId> order;
  std::unordered_set<AnswerId> in_order;
  for (const model::Answer* a : listed) {
    order.push_back(a->id);
    in_order.insert(a->id);
  }
  for (const StoredAnswer& a : state.answers) {
    if (in_order.insert(a.id).second) order.push_back(a.id);
  }
  return order;
}

}  // namespace

bool IsUsable(model::Outcome outcome) {
  return outcome == model::Outcome::kComplete || outcome == model::Outcome::kPartial;
}

bool MayRecordAnswers(const model::Snapshot& snapshot) {
  const model::Outcome o = snapshot.outcome;
  if (o == model::Outcome::kNotFound || o == model::Outcome::kNotModified) return false;
  return IsUsable(o) || !snapshot.answers.empty();
}

std::vector<AnswerId> AnswersToProbe(const model::ThreadState& state,
                                     const model::Snapshot& snapshot) {
  std::vector<AnswerId> out;
  if (!snapshot.complete()) return out;
  std::unordered_set<AnswerId> listed;
  for (const model::Answer& a : snapshot.answers) listed.insert(a.id);
  for (const StoredAnswer& a : state.answers) {
    if (a.state == AnswerState::kPresent && !listed.count(a.id)) out.push_back(a.id);
  }
  return out;
}

bool IsSuspiciousShrink(const model::ThreadState& state, const model::Snapshot& snapshot) {
  size_t present = 0;
  for (const StoredAnswer& a : state.answers) present += a.state == AnswerState::kPresent;
  return AnswersToProbe(state, snapshot).size() * 2 > present;
}

ChangeSet Classify(const model::ThreadState& state, const model::Snapshot& snapshot,
                   const ProbeResults& probes, const ClassifyOptions& options,
                   Timestamp observed_at) {
  ChangeSet cs;
  cs.base_version = state.version;
  cs.thread.not_found_count = state.not_found_count;
  cs.thread.first_not_found_us = state.first_not_found_us;
  cs.thread.gone = state.gone;
  const model::Outcome outcome = snapshot.outcome;
  if (outcome == model::Outcome::kNotFound) {
    ClassifyNotFound(state, options, observed_at, cs);
    return cs;
  }
  if (outcome == model::Outcome::kNotModified) {
    cs.thread.not_found_count = 0;
    cs.thread.first_not_found_us = 0;
    return cs;
  }
  // R4: a failed fetch with no answers is no evidence either way; its whole answers (fetch/
  // keeps only whole pages and drops truncated answers) may add and edit, never delete.
  if (!MayRecordAnswers(snapshot)) return cs;

  cs.thread.not_found_count = 0;
  cs.thread.first_not_found_us = 0;
  cs.thread.gone = false;
  if (state.gone) {  // R8
    std::string since = state.gone_at_us > 0
                            ? "gone since " + Timestamp::FromMicros(state.gone_at_us).ToIso8601()
                            : std::string();
    cs.events.push_back(Event{EventKind::kThreadReturned, 0, 0, std::move(since)});
  }
  ClassifyThread(state, snapshot, cs);
  const auto stored = IndexStored(state);
  const std::vector<const model::Answer*> listed = UniqueAnswers(snapshot);
  std::unordered_set<AnswerId> listed_ids;
  for (const model::Answer* a : listed) {
    listed_ids.insert(a->id);
    const auto it = stored.find(a->id);
    ClassifySeen(*a, it == stored.end() ? nullptr : it->second, cs);
  }
  if (snapshot.complete()) {
    ClassifyAbsent(state, listed_ids, IsSuspiciousShrink(state, snapshot), probes, options, cs);
  }
  if (!cs.events.empty()) cs.order = MergedOrder(state, listed);
  return cs;
}

}  // namespace archivist::diff
