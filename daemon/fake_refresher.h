// FakeRefresher (tests): a scripted Refresher that records every call.
//
// All refreshers made by one FakeWorld's factory share it: the script (the summary per
// question id: outcome, events, Retry-After, store failure; else a complete refresh with no
// events), a
// gate that holds refreshes until opened (to stop the daemon in the middle of one), and
// the log of refreshed ids in start order.
//
// Thread-safety: FakeWorld is thread-safe.
#ifndef ARCHIVIST_DAEMON_FAKE_REFRESHER_H_
#define ARCHIVIST_DAEMON_FAKE_REFRESHER_H_

#include <condition_variable>
#include <map>
#include <mutex>
#include <vector>

#include "daemon/refresher.h"

namespace archivist::daemon {

class FakeWorld {
 public:
  void Script(model::QuestionId id, pipeline::RefreshSummary summary);
  void CloseGate();  // refreshes started from now on wait in Refresh until OpenGate
  void OpenGate();
  // Blocks until at least `n` refreshes are waiting at the closed gate (30 s cap).
  bool WaitForWaiting(int n);

  std::vector<model::QuestionId> started() const;
  int finished() const;
  int CountOf(model::QuestionId id) const;

  RefresherFactory Factory();
  pipeline::RefreshSummary Refresh(const store::ThreadKey& key);

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<model::QuestionId, pipeline::RefreshSummary> script_;
  bool gate_closed_ = false;
  int waiting_ = 0;
  int finished_ = 0;
  std::vector<model::QuestionId> started_;
};

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_FAKE_REFRESHER_H_
