// pipeline/document: a thread's document as it was at a time T (docs/format.md §1 with the keyword
// tags of §4), and where the export directory keeps it.
//
// RenderThreadAt reads the thread as of T from the store (ThreadAtTime: the title, the
// answers present at T in the listing order recorded with the latest event, each with the
// revision in effect), computes the tags from the title and each answer's visible text (taken
// from that revision's raw HTML), and renders the document. The result depends only on the
// store's contents at or before T, so `show --at T` gives exactly the bytes the export wrote
// when the refresh at T committed (as long as T is before the next event).
//
// Thread-safety: reentrant; the store and the tag function are borrowed.
#ifndef ARCHIVIST_PIPELINE_DOCUMENT_H_
#define ARCHIVIST_PIPELINE_DOCUMENT_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/file_identity.h"
#include "base/status.h"
#include "base/time.h"
#include "normalize/normalize.h"
#include "store/store.h"

namespace archivist::pipeline {

// Keywords of a text (docs/format.md §4): tags::Jieba::ExtractTags(text, 5) in production.
using TagFunction = std::function<Result<std::vector<std::string>>(std::string_view text)>;

// Changes the Markdown of one answer's revision before it goes into a document (local media
// links: media/local_media.h). Its error fails the rendering.
using MarkdownRewrite =
    std::function<Status(model::AnswerId answer, int revision, std::string& markdown)>;

// The document of `key` as it was at `at`. kNotFound (naming the thread and the time) when
// the thread was not archived yet at `at`; store errors as they come.
Result<std::string> RenderThreadAt(store::Store& store, const store::ThreadKey& key,
                                   Timestamp at, const TagFunction& tags,
                                   const normalize::Options& options = {},
                                   const MarkdownRewrite& rewrite = {});

// The keyword tags of `thread` (docs/format.md §4), from the title and each answer's visible
// text (its revision's raw HTML, read an answer at a time): the document's `tags`, and
// `show --json`'s.
Result<std::vector<std::string>> TagsOf(store::Store& store, const store::ThreadAt& thread,
                                        const TagFunction& tags,
                                        const normalize::Options& options = {});

// "<dir>/<question id>.md", written with WriteFileAtomically (base/atomic_file.h).
std::string ExportPath(const std::string& dir, const store::ThreadKey& key);

// The mode of exported files when the configuration says nothing (export.mode).
inline constexpr unsigned kDefaultExportMode = 0644;

// Creates the export directory `dir` (and its missing parents) and makes it as readable as
// the files written into it with `file_mode` (export.mode): the read bits of the mode give
// the directory read and search bits (0644 → 0755, 0640 → 0750, 0600 → 0700), whatever the
// umask (a unit's UMask=0077 would leave it 0700). The bits are added to a directory this
// process owns, never taken away (an operator's stricter or set-group-ID folder keeps its own
// bits); a folder of another owner is left as it is. kIoError names the folder and why.
Status PrepareExportDir(const std::string& dir, unsigned file_mode);

}  // namespace archivist::pipeline

#endif  // ARCHIVIST_PIPELINE_DOCUMENT_H_
