// The document at T.
//
// Rendering joins three sources: the store's view of the thread at T (ThreadAtTime), the raw
// HTML of each answer's revision in effect at T (for the visible text that feeds the tags),
// and normalize::RenderDocument. Markdown comes from the store as derived at commit time (or
// by the latest `renormalize`), never re-derived here, so a document is stable between events.
// Memory is a small multiple of the largest answer, not of the thread: one answer's HTML (and
// its parsed tree) at a time, the Markdown moved rather than copied, the document built in one
// allocation.
#include "pipeline/document.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

namespace archivist::pipeline {

Result<std::vector<std::string>> TagsOf(store::Store& store, const store::ThreadAt& thread,
                                        const TagFunction& tags,
                                        const normalize::Options& options) {
  // The keyword text of docs/format.md §4: title + "\n" + for each answer its visible text
  // + "\n".
  const store::ThreadKey& key = thread.key;
  std::string text = thread.title + "\n";
  for (const store::AnswerAt& a : thread.answers) {
    Result<std::string> html =
        store.GetRevisionHtml(store::AnswerKey{key.source, a.id, key.id}, a.revision);
    if (!html.ok()) return html.status();
    text.append(normalize::VisibleText(*html, options)).push_back('\n');
  }
  Result<std::vector<std::string>> words = tags(text);
  if (!words.ok()) return words.status().WithContext("keyword tags of " + store::ToString(key));
  return words;
}

Result<std::string> RenderThreadAt(store::Store& store, const store::ThreadKey& key,
                                   Timestamp at, const TagFunction& tags,
                                   const normalize::Options& options,
                                   const MarkdownRewrite& rewrite) {
  // With tags, the Markdown is read after them, an answer at a time, so that it is not held
  // while the visible text of each answer is parsed out of its HTML.
  Result<store::ThreadAt> thread = store.ThreadAtTime(key, at, /*with_markdown=*/!tags);
  if (!thread.ok()) return thread.status();
  normalize::Document doc;
  doc.title = thread->title;
  doc.author = thread->question_author;
  doc.date = thread->first_archived;
  doc.lastmod = thread->last_event;
  if (tags) {
    Result<std::vector<std::string>> words = TagsOf(store, *thread, tags, options);
    if (!words.ok()) return words.status();
    doc.tags = std::move(*words);
  }
  for (store::AnswerAt& a : thread->answers) {
    if (tags) {
      Result<store::RevisionRecord> rev =
          store.GetRevision(store::AnswerKey{key.source, a.id, key.id}, a.revision);
      if (!rev.ok()) return rev.status();
      a.markdown = std::move(rev->markdown);
    }
    if (rewrite) ARCHIVIST_RETURN_IF_ERROR(rewrite(a.id, a.revision, a.markdown));
    doc.answers.push_back({std::move(a.author_name), std::move(a.markdown)});
  }
  thread->answers.clear();
  return normalize::RenderDocument(doc);
}

std::string ExportPath(const std::string& dir, const store::ThreadKey& key) {
  std::string out = dir;
  if (out.empty() || out.back() != '/') out += '/';
  return out + std::to_string(key.id) + ".md";
}

Status PrepareExportDir(const std::string& dir, unsigned file_mode) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  struct stat st {};
  if (ec || ::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::IoError("cannot create the export directory " + dir +
                           (ec ? ": " + ec.message() : std::string(": not a directory")));
  }
  const unsigned read = file_mode & 0444;
  const mode_t wanted = static_cast<mode_t>(0700 | read | (read >> 2));
  if (st.st_uid == ::geteuid() && (st.st_mode & wanted) != wanted &&
      ::chmod(dir.c_str(), (st.st_mode & 07777) | wanted) != 0) {
    return Status::IoError("cannot make the export directory " + dir + " readable: " +
                           std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace archivist::pipeline
