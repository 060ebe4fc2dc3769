// daemon/source: what the pipeline needs from a site adapter, and the Zhihu adapter.
//
// The pipeline fetches a thread and probes single answers through this interface only, so
// its tests run on a scripted FakeSource (pipeline_test.cc) and production on ZhihuSource
// (fetch/sources/zhihu_source.h) through ZhihuSourceAdapter: real and fake behind one
// interface.
//
// Thread-safety: as the wrapped source (ZhihuSource: one per thread).
#ifndef ARCHIVIST_PIPELINE_SOURCE_H_
#define ARCHIVIST_PIPELINE_SOURCE_H_

#include "fetch/sources/zhihu_source.h"
#include "model/model.h"

namespace archivist::daemon {

class Source {
 public:
  virtual ~Source() = default;
  // One snapshot of a question; never fails as a whole (the failure is its outcome).
  virtual model::Snapshot Fetch(model::QuestionId id) = 0;
  // The deletion probe: kExists, kGone, or kUnknown when there is no evidence.
  virtual model::ProbeResult Probe(model::AnswerId id) = 0;
};

// Borrows a ZhihuSource for its lifetime.
class ZhihuSourceAdapter final : public Source {
 public:
  explicit ZhihuSourceAdapter(fetch::ZhihuSource& source) : source_(source) {}
  model::Snapshot Fetch(model::QuestionId id) override { return source_.FetchQuestion(id); }
  model::ProbeResult Probe(model::AnswerId id) override { return source_.ProbeAnswer(id); }

 private:
  fetch::ZhihuSource& source_;
};

}  // namespace archivist::daemon

#endif  // ARCHIVIST_PIPELINE_SOURCE_H_
