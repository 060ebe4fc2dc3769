// Who and how much, for `history` and `diff`: each revision's author, the source's own edit
// time (updated_time) beside the time archivist saw it, and the size of the edit that made
// it (code points added and removed in the Markdown, diff/word_diff.h EditSize).
#ifndef ARCHIVIST_CLI_REVISION_FACTS_H_
#define ARCHIVIST_CLI_REVISION_FACTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "base/status.h"
#include "base/time.h"
#include "diff/word_diff.h"
#include "store/store.h"

namespace archivist::cli {

struct RevisionFacts {
  std::string author;
  Timestamp observed_at;
  std::optional<Timestamp> updated_at;  // the source's updated_time; unset when it gave none
  diff::EditSize size;                  // against the revision before (r1: against nothing)
};

// Every revision of `answer`, by number (its Markdown read once, then released).
Result<std::map<int, RevisionFacts>> FactsOf(store::Store& archive, const store::AnswerKey& answer);

// "by NAME  +A -R  edited at the source TIME" (the parts known), for a person; made
// TerminalSafe by the caller.
std::string FactsText(const RevisionFacts& facts, bool with_size = true);

}  // namespace archivist::cli

#endif  // ARCHIVIST_CLI_REVISION_FACTS_H_
