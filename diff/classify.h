// diff/classify: what one snapshot changes in the archive (docs/store.md).
//
// Pure: no I/O, no clock. The pipeline calls it in two steps, because deleting needs
// evidence the snapshot alone cannot give:
//
//   state    = store.LoadState(thread)
//   to_probe = AnswersToProbe(state, snapshot)          // answers a complete listing lacks
//   probes   = { id → source.Probe(id) for id in to_probe }  (kUnknown when a probe fails)
//   changes  = Classify(state, snapshot, probes, options)
//   for r in changes.revisions: r.markdown = HtmlToMarkdown(r.html); r.normalizer_version = …
//   store.CommitRefresh({fetch record, changes, …})
//
// The rules, each one tested in classify_test.cc:
//  R1 a new revision only when the raw HTML hash changed or updated_time moved; author
//     renames and vote/comment counts are never edits (the latest author name is kept);
//  R2 a deletion only from a complete snapshot, only for an answer the listing lacks, and
//     only when its probe says kGone or it has been absent from K consecutive complete
//     listings (K = delete_confirmations) and the probe did not say kExists;
//  R3 a complete listing that lacks more than half of the present answers at once is
//     suspicious: only probes (kGone) can delete then;
//  R4 a partial snapshot adds and edits but never deletes and never advances absence counts;
//     so does a failed one (blocked, auth_required, rate_limited, transient, invalid_response,
//     too_large) that carries answers: fetch/ keeps only the whole pages before the failure
//     and drops every answer with content_need_truncated, so each answer it keeps is whole
//     (docs/store.md "Failed fetches with answers"). A failed fetch without answers changes
//     nothing; not_found and not_modified never carry answers;
//  R5 a deleted answer that reappears is answer_restored (new revision if its content moved);
//  R6 title_changed when a usable snapshot carries a different non-empty title; the first
//     usable snapshot records thread_added instead;
//  R7 thread_gone after `not_found_confirmations` (2) consecutive not_found outcomes;
//     outcomes without evidence leave the count alone, a usable or not_modified one resets it.
//
// Thread-safety: reentrant.
#ifndef ARCHIVIST_DIFF_CLASSIFY_H_
#define ARCHIVIST_DIFF_CLASSIFY_H_

#include <map>
#include <vector>

#include "model/change.h"
#include "model/model.h"

namespace archivist::diff {

struct ClassifyOptions {
  int delete_confirmations = 2;     // K of R2 (config schedule.delete_confirmations), ≥ 1
  int not_found_confirmations = 2;  // R7
};

using ProbeResults = std::map<model::AnswerId, model::ProbeResult>;

// True for complete and partial: outcomes whose listing stopped without a server failure.
bool IsUsable(model::Outcome outcome);

// True when the snapshot's answers may add answers and revisions (R4): complete, partial, or
// a failed outcome other than not_found / not_modified that carries answers.
bool MayRecordAnswers(const model::Snapshot& snapshot);

// The present answers that a complete snapshot lacks: the pipeline should probe each with
// the single-answer endpoint before Classify. Empty for any other outcome.
std::vector<model::AnswerId> AnswersToProbe(const model::ThreadState& state,
                                            const model::Snapshot& snapshot);

// True when the complete snapshot lacks more than half of the present answers (R3).
bool IsSuspiciousShrink(const model::ThreadState& state, const model::Snapshot& snapshot);

// The change set of one refresh. Answers missing from `probes` count as kUnknown.
// Revisions come without Markdown: the caller fills `markdown` and `normalizer_version`.
model::ChangeSet Classify(const model::ThreadState& state, const model::Snapshot& snapshot,
                          const ProbeResults& probes, const ClassifyOptions& options = {});

}  // namespace archivist::diff

#endif  // ARCHIVIST_DIFF_CLASSIFY_H_
