#include "media/local_media.h"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>

#include "media/media_urls.h"
#include "media/sha256.h"
#include "normalize/normalize.h"

namespace archivist::media {

int ReplaceImageLinks(std::string& markdown, const std::string& from, const std::string& to) {
  const std::string needle = "](" + from;
  int replaced = 0;
  size_t at = 0;
  while ((at = markdown.find(needle, at)) != std::string::npos) {
    const size_t end = at + needle.size();
    if (end < markdown.size() && (markdown[end] == ')' || markdown[end] == ' ')) {
      markdown.replace(at + 2, from.size(), to);
      at += 2 + to.size();
      ++replaced;
    } else {
      at = end;
    }
  }
  return replaced;
}

LocalMedia::LocalMedia(store::Store& store, std::string dir, std::string link_prefix,
                       std::vector<std::string> proxies, AtomicWriteOptions write)
    : store_(store), dir_(std::move(dir)), link_prefix_(std::move(link_prefix)),
      proxies_(std::move(proxies)), write_(std::move(write)) {}

pipeline::MarkdownRewrite LocalMedia::For(const store::ThreadKey& thread) {
  return [this, thread](model::AnswerId answer, int revision, std::string& markdown) {
    return Rewrite(thread, answer, revision, markdown);
  };
}

Status LocalMedia::Rewrite(const store::ThreadKey& thread, model::AnswerId answer, int revision,
                           std::string& markdown) {
  if (!have_loaded_ || loaded_ != thread.id) {
    Result<std::vector<store::MediaRefRecord>> refs = store_.MediaRefs(thread);
    if (!refs.ok()) return refs.status();
    refs_.clear();
    for (store::MediaRefRecord& r : *refs) {
      refs_[{r.answer.id, r.revision}].push_back(std::move(r));
    }
    loaded_ = thread.id;
    have_loaded_ = true;
  }
  auto it = refs_.find({answer, revision});
  if (it == refs_.end()) return Status::Ok();
  for (const store::MediaRefRecord& ref : it->second) {
    if (ref.status != store::MediaStatus::kStored) continue;
    Result<std::string> file = FileOf(ref);
    if (!file.ok()) return file.status();
    for (const std::string& proxy : proxies_) {
      ReplaceImageLinks(markdown, normalize::ImageLink(ref.url, proxy), link_prefix_ + *file);
    }
  }
  return Status::Ok();
}

Result<std::string> LocalMedia::FileOf(const store::MediaRefRecord& ref) {
  if (!IsSha256Hex(ref.sha256)) {
    return Status::Corruption("a stored image is named \"" + ref.sha256.substr(0, 80) +
                              "\", not by its SHA-256 (`archivist media --check`)");
  }
  const std::string name = MediaFileName(ref.sha256, ref.media_type);
  if (done_.count(ref.sha256)) return name;
  const std::string path = dir_ + "/" + name;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == ref.size) {
    done_.insert(ref.sha256);
    return name;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Status::IoError("cannot create the media folder " + dir_ + ": " + ec.message());
  Result<store::MediaBlob> blob = store_.GetMedia(ref.sha256);
  if (!blob.ok()) return blob.status();
  if (Sha256Hex(blob->data) != ref.sha256) {
    return Status::Corruption("the stored image " + ref.sha256 +
                              " does not match its hash (`archivist media --check`)");
  }
  ARCHIVIST_RETURN_IF_ERROR(WriteFileAtomically(path, blob->data, write_));
  done_.insert(ref.sha256);
  ++files_written_;
  return name;
}

}  // namespace archivist::media
