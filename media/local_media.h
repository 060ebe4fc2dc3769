// media/local_media: documents whose image links point at files of the stored images
// (`export --media local`, `show --media local`; docs/media.md).
//
// For each answer revision a document shows, every image link of a stored image — the link as
// the Markdown holds it, through any of `proxies` ("" is the bare URL) — becomes
// `link_prefix` + "<sha256>.<ext>", and that file is written into `dir` (once; a file already
// there with the image's size is kept). Links of images not stored (pending, failed) stay as
// they are. The refs are those of the revision shown, so a document of a past time links the
// images of that time.
//
// Thread-safety: one object per thread; it borrows the store.
#ifndef ARCHIVIST_MEDIA_LOCAL_MEDIA_H_
#define ARCHIVIST_MEDIA_LOCAL_MEDIA_H_

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/atomic_file.h"
#include "pipeline/document.h"
#include "store/store.h"

namespace archivist::media {

// `markdown` with every image link "](<from>" followed by ')' or ' ' replaced by "](<to>".
// Returns how many were replaced.
int ReplaceImageLinks(std::string& markdown, const std::string& from, const std::string& to);

class LocalMedia {
 public:
  LocalMedia(store::Store& store, std::string dir, std::string link_prefix,
             std::vector<std::string> proxies, AtomicWriteOptions write);
  // `proxies`: normalize::ImageLinkForms of the configured proxy.

  // The rewrite for the documents of `thread` (pipeline::RenderThreadAt). Its error names
  // the file that could not be written or the image whose bytes do not match their hash.
  pipeline::MarkdownRewrite For(const store::ThreadKey& thread);

  int files_written() const { return files_written_; }

 private:
  Status Rewrite(const store::ThreadKey& thread, model::AnswerId answer, int revision,
                 std::string& markdown);
  Result<std::string> FileOf(const store::MediaRefRecord& ref);  // the file's name, written

  store::Store& store_;
  const std::string dir_;
  const std::string link_prefix_;
  const std::vector<std::string> proxies_;
  const AtomicWriteOptions write_;
  model::QuestionId loaded_ = 0;
  bool have_loaded_ = false;
  std::map<std::pair<model::AnswerId, int>, std::vector<store::MediaRefRecord>> refs_;
  std::set<std::string> done_;  // hashes whose file is in dir_
  int files_written_ = 0;
};

}  // namespace archivist::media

#endif  // ARCHIVIST_MEDIA_LOCAL_MEDIA_H_
