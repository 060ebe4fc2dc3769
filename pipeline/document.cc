// The document at T.
//
// Rendering joins three sources: the store's view of the thread at T (ThreadAtTime), the raw
// HTML of each answer's revision in effect at T (for the visible text that feeds the tags),
// and normalize::RenderDocument. Markdown comes from the store as derived at commit time (or
// by the latest `renormalize`), never re-derived here, so a document is stable between events.
#include "pipeline/document.h"

#include <utility>

namespace archivist::pipeline {

std::string TagText(const std::string& title, const std::vector<std::string>& answer_html,
                    const normalize::Options& options) {
  std::string text = title + "\n";
  for (const std::string& html : answer_html) text += normalize::VisibleText(html, options) + "\n";
  return text;
}

Result<std::string> RenderThreadAt(store::Store& store, const store::ThreadKey& key,
                                   Timestamp at, const TagFunction& tags,
                                   const normalize::Options& options) {
  Result<store::ThreadAt> thread = store.ThreadAtTime(key, at);
  if (!thread.ok()) return thread.status();
  normalize::Document doc;
  doc.title = thread->title;
  doc.author = thread->question_author;
  doc.date = thread->first_archived;
  doc.lastmod = thread->last_event;
  std::vector<std::string> html;
  for (const store::AnswerAt& a : thread->answers) {
    Result<store::RevisionRecord> rev =
        store.GetRevision(store::AnswerKey{key.source, a.id}, a.revision, /*with_html=*/true);
    if (!rev.ok()) return rev.status();
    html.push_back(std::move(rev->html));
    doc.answers.push_back({a.author_name, a.markdown});
  }
  if (tags) {
    Result<std::vector<std::string>> words = tags(TagText(doc.title, html, options));
    if (!words.ok()) {
      return words.status().WithContext("keyword tags of " + store::ToString(key));
    }
    doc.tags = std::move(*words);
  }
  return normalize::RenderDocument(doc);
}

std::string ExportPath(const std::string& dir, const store::ThreadKey& key) {
  std::string out = dir;
  if (out.empty() || out.back() != '/') out += '/';
  return out + std::to_string(key.id) + ".md";
}

}  // namespace archivist::pipeline
