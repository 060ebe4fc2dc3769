#include "pipeline/tagger.h"

#include <memory>

#include "tags/jieba.h"

namespace archivist::pipeline {

Result<TagFunction> LoadTagger() {
  Result<std::unique_ptr<tags::Jieba>> jieba = tags::Jieba::Load({});
  if (!jieba.ok()) return jieba.status().WithContext("loading the keyword tagger");
  std::shared_ptr<const tags::Jieba> shared(std::move(*jieba));
  return TagFunction([shared](std::string_view text) { return shared->ExtractTags(text, 5); });
}

Result<TagFunction> SharedTagger::Get() {
  std::lock_guard lock(mu_);
  if (!tagger_) {
    Result<TagFunction> loaded = LoadTagger();
    if (!loaded.ok()) return loaded.status();
    tagger_ = std::move(*loaded);
  }
  return tagger_;
}

}  // namespace archivist::pipeline
