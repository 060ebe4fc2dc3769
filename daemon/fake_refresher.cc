#include "daemon/fake_refresher.h"

#include <chrono>

namespace archivist::daemon {
namespace {

class FakeRefresher final : public Refresher {
 public:
  explicit FakeRefresher(FakeWorld& world) : world_(world) {}
  pipeline::RefreshSummary Refresh(const store::ThreadKey& key) override { return world_.Refresh(key); }

 private:
  FakeWorld& world_;
};

}  // namespace

void FakeWorld::Script(model::QuestionId id, pipeline::RefreshSummary summary) {
  std::lock_guard lock(mu_);
  script_[id] = std::move(summary);
}

void FakeWorld::CloseGate() {
  std::lock_guard lock(mu_);
  gate_closed_ = true;
}

void FakeWorld::OpenGate() {
  {
    std::lock_guard lock(mu_);
    gate_closed_ = false;
  }
  cv_.notify_all();
}

bool FakeWorld::WaitForWaiting(int n) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, std::chrono::seconds(30), [&] { return waiting_ >= n; });
}

std::vector<model::QuestionId> FakeWorld::started() const {
  std::lock_guard lock(mu_);
  return started_;
}

int FakeWorld::finished() const {
  std::lock_guard lock(mu_);
  return finished_;
}

int FakeWorld::CountOf(model::QuestionId id) const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (model::QuestionId s : started_) n += s == id ? 1 : 0;
  return n;
}

RefresherFactory FakeWorld::Factory() {
  return [this](const config::Config&,
                const SharedPieces&) -> Result<std::unique_ptr<Refresher>> {
    return std::unique_ptr<Refresher>(new FakeRefresher(*this));
  };
}

pipeline::RefreshSummary FakeWorld::Refresh(const store::ThreadKey& key) {
  std::unique_lock lock(mu_);
  started_.push_back(key.id);
  ++waiting_;
  cv_.notify_all();
  cv_.wait(lock, [&] { return !gate_closed_; });
  --waiting_;
  pipeline::RefreshSummary s;
  s.outcome = model::Outcome::kComplete;
  s.pages = 1;
  s.answers_now = 3;
  s.fetch_duration = std::chrono::milliseconds(420);
  if (auto it = script_.find(key.id); it != script_.end()) s = it->second;
  s.thread = key;
  ++finished_;
  return s;
}

}  // namespace archivist::daemon
