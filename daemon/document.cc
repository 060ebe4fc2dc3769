// The document at T, and atomic writes.
//
// Rendering joins three sources: the store's view of the thread at T (ThreadAtTime), the raw
// HTML of each answer's revision in effect at T (for the visible text that feeds the tags),
// and normalize::RenderDocument. Markdown comes from the store as derived at commit time (or
// by the latest `renormalize`), never re-derived here, so a document is stable between events.
// Memory is a small multiple of the largest answer, not of the thread: one answer's HTML (and
// its parsed tree) at a time, the Markdown moved rather than copied, the document built in one
// allocation.
//
// The atomic write follows the usual recipe: mkstemp beside the target (same file system, so
// rename is atomic), write all, fsync, close, rename, then fsync the directory so the rename
// itself is durable. Any failure unlinks the temporary file.
#include "daemon/document.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace archivist::daemon {
namespace {

std::string Errno(int err) { return std::strerror(err); }

// Closes a file descriptor on scope exit (RAII owner).
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError("writing " + path + ": " + Errno(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

std::string DirOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Status WriteAndRename(int fd, const std::string& tmp, const std::string& path,
                      std::string_view bytes) {
  Fd owner(fd);
  // mkstemp creates 0600; an export is meant to be read (by a web server, say).
  if (::fchmod(fd, 0644) != 0) return Status::IoError("chmod " + tmp + ": " + Errno(errno));
  ARCHIVIST_RETURN_IF_ERROR(WriteAll(fd, bytes, tmp));
  if (::fsync(fd) != 0) return Status::IoError("syncing " + tmp + ": " + Errno(errno));
  if (::close(owner.Release()) != 0) return Status::IoError("closing " + tmp + ": " + Errno(errno));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::IoError("renaming " + tmp + " to " + path + ": " + Errno(errno));
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> RenderThreadAt(store::Store& store, const store::ThreadKey& key,
                                   Timestamp at, const TagFunction& tags,
                                   const normalize::Options& options) {
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
    // The keyword text of FORMAT.md §4: title + "\n" + for each answer its visible text + "\n".
    std::string text = doc.title + "\n";
    for (const store::AnswerAt& a : thread->answers) {
      Result<std::string> html =
          store.GetRevisionHtml(store::AnswerKey{key.source, a.id}, a.revision);
      if (!html.ok()) return html.status();
      text.append(normalize::VisibleText(*html, options)).push_back('\n');
    }
    Result<std::vector<std::string>> words = tags(text);
    if (!words.ok()) {
      return words.status().WithContext("keyword tags of " + key.source + ":" +
                                        std::to_string(key.id));
    }
    doc.tags = std::move(*words);
  }
  for (store::AnswerAt& a : thread->answers) {
    if (tags) {
      Result<store::RevisionRecord> rev =
          store.GetRevision(store::AnswerKey{key.source, a.id}, a.revision);
      if (!rev.ok()) return rev.status();
      a.markdown = std::move(rev->markdown);
    }
    doc.answers.push_back({std::move(a.author_name), std::move(a.markdown)});
  }
  thread->answers.clear();
  return normalize::RenderDocument(doc);
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  std::string tmp = path + ".tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return Status::IoError("cannot create a temporary file for " + path + ": " + Errno(errno));
  Status st = WriteAndRename(fd, tmp, path, bytes);
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  const std::string dir = DirOf(path);
  Fd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.get() >= 0 && ::fsync(dfd.get()) != 0 && errno != EINVAL) {
    return Status::IoError("syncing directory " + dir + ": " + Errno(errno));
  }
  return Status::Ok();
}

std::string ExportPath(const std::string& dir, const store::ThreadKey& key) {
  std::string out = dir;
  if (out.empty() || out.back() != '/') out += '/';
  return out + std::to_string(key.id) + ".md";
}

}  // namespace archivist::daemon
