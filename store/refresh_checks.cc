// The checks every Store applies to a refresh record before writing it (refresh_checks.h).
#include "store/refresh_checks.h"

#include <string>

namespace archivist::store {

// The outcome-dependent limits of what a refresh may change (see the header).
Status ValidateRefreshRecord(const RefreshRecord& r) {
  const model::Outcome o = r.fetch.outcome;
  // Failed fetches may carry whole answers (docs/store.md): they may add and edit. Only
  // not_found and not_modified carry no answers at all.
  const bool no_answers = o == model::Outcome::kNotFound || o == model::Outcome::kNotModified;
  const std::string what = ToString(r.thread) + " (outcome " +
                           std::string(model::OutcomeName(o)) + ")";
  if (no_answers && (!r.changes.answers.empty() || !r.changes.revisions.empty())) {
    return Status::Internal("refusing to store answers from a fetch of " + what);
  }
  for (const model::Event& e : r.changes.events) {
    if (no_answers && e.kind != model::EventKind::kThreadGone) {
      return Status::Internal("refusing a " + std::string(model::EventKindName(e.kind)) +
                              " event from a fetch of " + what);
    }
    if (e.kind == model::EventKind::kAnswerDeleted && o != model::Outcome::kComplete) {
      return Status::Internal("refusing a deletion from an incomplete fetch of " + what);
    }
    if (model::EventNeedsRevision(e.kind) && e.revision < 1) {
      return Status::Internal("a " + std::string(model::EventKindName(e.kind)) +
                              " event without a revision for " + what);
    }
  }
  for (const model::AnswerUpdate& u : r.changes.answers) {
    if (u.state == model::AnswerState::kDeleted && o != model::Outcome::kComplete) {
      return Status::Internal("refusing to mark an answer deleted from " + what);
    }
  }
  return Status::Ok();
}

}  // namespace archivist::store
