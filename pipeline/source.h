// pipeline/source: what the refresh pipeline and discovery need from a site, and nothing more.
//
// The pipeline fetches a thread and probes single answers through Source only; discovery
// polls the hot list through HotListSource only. Their tests run on scripted fakes
// (pipeline_test.cc, service_test.cc); production gets both from one SiteSource made by
// MakeSiteSource (pipeline/backends.h) for the configured backend: real and fake behind one
// interface, and a second backend behind the same one.
//
// Thread-safety: one object per thread, as the backend's sources are.
#ifndef ARCHIVIST_PIPELINE_SOURCE_H_
#define ARCHIVIST_PIPELINE_SOURCE_H_

#include <vector>

#include "base/status.h"
#include "model/model.h"

namespace archivist::pipeline {

class Source {
 public:
  virtual ~Source() = default;
  // One snapshot of a question; never fails as a whole (the failure is its outcome).
  virtual model::Snapshot Fetch(model::QuestionId id) = 0;
  // The deletion probe: kExists, kGone, or kUnknown when there is no evidence.
  virtual model::ProbeResult Probe(model::AnswerId id) = 0;
};

class HotListSource {
 public:
  virtual ~HotListSource() = default;
  // The questions on the hot list now, or kUnavailable with the outcome and reason.
  virtual Result<std::vector<model::HotItem>> HotList() = 0;
};

}  // namespace archivist::pipeline

#endif  // ARCHIVIST_PIPELINE_SOURCE_H_
