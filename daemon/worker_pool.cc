#include "daemon/worker_pool.h"

namespace archivist::daemon {

WorkerPool::WorkerPool(int workers, RefresherFactory refreshers, HotListFactory hot_lists,
                       const SharedPieces& shared, std::shared_ptr<const config::Config> config)
    : refreshers_(std::move(refreshers)), hot_lists_(std::move(hot_lists)), shared_(shared),
      config_(std::move(config)) {
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { Run(); });
}

WorkerPool::~WorkerPool() { Stop(); }

void WorkerPool::Submit(Job job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void WorkerPool::SetConfig(std::shared_ptr<const config::Config> config) {
  std::lock_guard lock(mu_);
  config_ = std::move(config);
  ++generation_;
}

void WorkerPool::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    jobs_.clear();
  }
  cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void WorkerPool::Run() {
  std::unique_ptr<Refresher> refresher;
  std::unique_ptr<HotListSource> hot_list;
  WorkerTools tools;
  uint64_t built = 0;
  for (;;) {
    Job job;
    std::shared_ptr<const config::Config> config;
    uint64_t generation;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      config = config_;
      generation = generation_;
    }
    if (built != generation) {
      built = generation;
      refresher.reset();
      hot_list.reset();
      tools = WorkerTools{};
      Result<std::unique_ptr<Refresher>> r = refreshers_(*config, shared_);
      if (r.ok()) {
        refresher = std::move(*r);
      } else {
        tools.refresher_status = r.status();
      }
      if (hot_lists_) {
        Result<std::unique_ptr<HotListSource>> h = hot_lists_(*config, shared_);
        if (h.ok()) {
          hot_list = std::move(*h);
        } else {
          tools.hot_list_status = h.status();
        }
      } else {
        tools.hot_list_status = Status::Unavailable("no hot-list source in this build");
      }
      tools.refresher = refresher.get();
      tools.hot_list = hot_list.get();
    }
    job(tools);
  }
}

}  // namespace archivist::daemon
