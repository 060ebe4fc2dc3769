// WorkerPool: the threads that run refreshes and hot-list polls off the event loop.
//
// Each worker owns one Refresher and one HotListSource, made by the factories on the worker
// thread from the current configuration and the service's SharedPieces, and made again
// after SetConfig (a reload). Jobs
// run in submission order on whichever worker is free; a job reports its result by posting
// to the event loop itself (the pool knows nothing of asio).
//
// Thread-safety: Submit, SetConfig and Stop are thread-safe. Stop lets running jobs finish,
// drops queued ones, and joins.
#ifndef ARCHIVIST_DAEMON_WORKER_POOL_H_
#define ARCHIVIST_DAEMON_WORKER_POOL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "config/config.h"
#include "daemon/refresher.h"

namespace archivist::daemon {

// What a job gets: the worker's tools, or why they could not be made.
struct WorkerTools {
  Refresher* refresher = nullptr;     // null when the factory failed
  HotListSource* hot_list = nullptr;  // null when the factory failed or none is configured
  Status refresher_status;
  Status hot_list_status;
};

class WorkerPool {
 public:
  using Job = std::function<void(WorkerTools&)>;

  // `shared` is borrowed; it must outlive the pool.
  WorkerPool(int workers, RefresherFactory refreshers, HotListFactory hot_lists,
             const SharedPieces& shared, std::shared_ptr<const config::Config> config);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Submit(Job job);
  void SetConfig(std::shared_ptr<const config::Config> config);
  void Stop();
  int size() const { return static_cast<int>(threads_.size()); }

 private:
  void Run();

  RefresherFactory refreshers_;
  HotListFactory hot_lists_;
  const SharedPieces& shared_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  std::shared_ptr<const config::Config> config_;
  uint64_t generation_ = 1;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_WORKER_POOL_H_
