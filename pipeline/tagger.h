// pipeline/tagger: the keyword tagger that documents use (tags::Jieba over python3-jieba's
// data, the five keywords of docs/format.md "Keyword tags").
//
// LoadTagger loads one (~25 ms from the compiled cache, ~0.7 s without). SharedTagger is
// the one a long-running process owns: loaded on first use, then handed to every caller.
//
// Thread-safety: the TagFunction is thread-safe (tags::Jieba is immutable once loaded);
// SharedTagger::Get is thread-safe.
#ifndef ARCHIVIST_PIPELINE_TAGGER_H_
#define ARCHIVIST_PIPELINE_TAGGER_H_

#include <mutex>

#include "base/status.h"
#include "pipeline/document.h"

namespace archivist::pipeline {

Result<TagFunction> LoadTagger();

class SharedTagger {
 public:
  // The tagger, loading it on the first call; a failed load is tried again on the next.
  Result<TagFunction> Get();

 private:
  std::mutex mu_;
  TagFunction tagger_;
};

}  // namespace archivist::pipeline

#endif  // ARCHIVIST_PIPELINE_TAGGER_H_
