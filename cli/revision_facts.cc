#include "cli/revision_facts.h"

#include "cli/archive.h"

namespace archivist::cli {

Result<std::map<int, RevisionFacts>> FactsOf(store::Store& archive,
                                             const store::AnswerKey& answer) {
  auto revisions = archive.Revisions(answer);
  if (!revisions.ok()) return revisions.status();
  std::map<int, RevisionFacts> out;
  std::string previous;
  for (store::RevisionRecord& r : *revisions) {
    RevisionFacts f;
    f.author = r.author_name;
    f.observed_at = r.observed_at;
    if (r.updated_time > 0) f.updated_at = Timestamp::FromSeconds(r.updated_time);
    f.size = diff::MeasureEdit(previous, r.markdown);
    previous = std::move(r.markdown);
    std::string().swap(r.markdown);
    out.emplace(r.number, std::move(f));
  }
  return out;
}

std::string FactsText(const RevisionFacts& f, bool with_size) {
  std::string out;
  if (!f.author.empty()) out += "by " + f.author;
  if (with_size) {
    out += std::string(out.empty() ? "" : "  ") + "+" + std::to_string(f.size.added) + " -" +
           std::to_string(f.size.removed);
  }
  if (f.updated_at) {
    out += std::string(out.empty() ? "" : "  ") + "edited at the source " + HumanTime(*f.updated_at);
  }
  return out;
}

}  // namespace archivist::cli
