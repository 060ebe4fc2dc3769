// The claim block of the Store (store.h): claims by lease, daemon records, the discovery lock
// and marks, on every backend. On PostgreSQL (shared) a thread is claimed by one owner at a
// time; an SQLite archive has one daemon, so every claim is granted and releasing stores the
// schedule. Each test opens a second connection as another daemon would (OpenAnother).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "store/store_fixture_test_util.h"

namespace archivist::store::testing {
namespace {

const ThreadKey kKey{"zhihu", kQ};

Timestamp T(int64_t seconds) { return Timestamp::FromSeconds(seconds); }

class ClaimsTest : public StoreTest {
 protected:
  bool Shared() const { return GetParam().name != "Sqlite"; }
  std::unique_ptr<Store> Another() {
    Result<std::unique_ptr<Store>> other = archive_->OpenAnother();
    EXPECT_TRUE(other.ok()) << other.status().ToString();
    return other.ok() ? std::move(*other) : nullptr;
  }
};

TEST_P(ClaimsTest, AClaimIsExclusiveUntilReleasedAndReleaseStoresTheSchedule) {
  std::unique_ptr<Store> b = Another();
  ASSERT_TRUE(b);
  auto first = store_->ClaimThreads({kKey}, "a", T(100), T(160));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->claimed.size(), 1u);
  EXPECT_TRUE(first->takeovers.empty());
  auto second = b->ClaimThreads({kKey}, "b", T(110), T(170));
  ASSERT_TRUE(second.ok());
  if (Shared()) {
    EXPECT_TRUE(second->claimed.empty());
    ASSERT_EQ(second->refused.size(), 1u);
    EXPECT_EQ(second->refused[0].retry_at, T(160));  // a's lease ends then
  } else {
    EXPECT_EQ(second->claimed.size(), 1u);  // one daemon per file: always granted
  }
  auto released = store_->ReleaseClaim(kKey, "a", Schedule{T(400), 300});
  ASSERT_TRUE(released.ok());
  EXPECT_TRUE(*released);
  EXPECT_EQ(store_->GetThread(kKey)->schedule->next_due, T(400));
  if (!Shared()) return;
  auto early = b->ClaimThreads({kKey}, "b", T(120), T(180));
  ASSERT_TRUE(early.ok());
  ASSERT_EQ(early->refused.size(), 1u);
  EXPECT_EQ(early->refused[0].retry_at, T(400));  // refreshed by a: due again then
  auto due = b->ClaimThreads({kKey}, "b", T(400), T(460));
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->claimed.size(), 1u);
  EXPECT_TRUE(due->takeovers.empty());  // a released it
}

TEST_P(ClaimsTest, AnExpiredLeaseIsTakenOverAndItsOldOwnerWritesNothing) {
  if (!Shared()) GTEST_SKIP() << "a file archive keeps no leases";
  std::unique_ptr<Store> b = Another();
  ASSERT_TRUE(b);
  ASSERT_EQ(store_->ClaimThreads({kKey}, "a", T(100), T(105))->claimed.size(), 1u);
  auto taken = b->ClaimThreads({kKey}, "b", T(105), T(165));
  ASSERT_TRUE(taken.ok());
  ASSERT_EQ(taken->claimed.size(), 1u);
  ASSERT_EQ(taken->takeovers.size(), 1u);
  auto late = store_->ReleaseClaim(kKey, "a", Schedule{T(999), 1});
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(*late);
  EXPECT_FALSE(store_->GetThread(kKey)->schedule);  // a's schedule was not written
  EXPECT_EQ(Query("SELECT lease_owner FROM threads"), "b\n");
}

// A release that failed leaves the owner's lease, which its heartbeat keeps renewing: the
// owner may claim the thread again, another may not.
TEST_P(ClaimsTest, AnOwnerClaimsAgainUnderItsOwnLease) {
  std::unique_ptr<Store> b = Another();
  ASSERT_TRUE(b);
  ASSERT_EQ(store_->ClaimThreads({kKey}, "a", T(100), T(160))->claimed.size(), 1u);
  EXPECT_EQ(b->ClaimThreads({kKey}, "b", T(110), T(170))->claimed.size(), Shared() ? 0u : 1u);
  auto again = store_->ClaimThreads({kKey}, "a", T(120), T(180));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->claimed.size(), 1u);
  EXPECT_TRUE(again->takeovers.empty());
}

TEST_P(ClaimsTest, OnlyActiveDueThreadsAreClaimed) {
  const ThreadKey later{"zhihu", 2}, removed{"zhihu", 3}, unknown{"zhihu", 4};
  ASSERT_TRUE(store_->AddThread(later, T(1)).ok());
  ASSERT_TRUE(store_->SetSchedule(later, {T(500), 60}).ok());
  ASSERT_TRUE(store_->AddThread(removed, T(1)).ok());
  ASSERT_TRUE(store_->SetTracking(removed, Tracking::kRemoved).ok());
  auto c = store_->ClaimThreads({kKey, later, removed, unknown}, "a", T(100), T(160));
  ASSERT_TRUE(c.ok());
  if (!Shared()) return;
  ASSERT_EQ(c->claimed.size(), 1u);
  EXPECT_EQ(c->claimed[0].id, kQ);
  ASSERT_EQ(c->refused.size(), 3u);
  std::map<model::QuestionId, std::optional<Timestamp>> retry;
  for (const ClaimRefusal& r : c->refused) retry[r.key.id] = r.retry_at;
  EXPECT_EQ(retry[2], T(500));
  EXPECT_FALSE(retry[3]);
  EXPECT_FALSE(retry[4]);
}

TEST_P(ClaimsTest, HeartbeatRenewsLeasesAndDeregisterReleasesThem) {
  std::unique_ptr<Store> b = Another();
  ASSERT_TRUE(b);
  DaemonRecord a{"a", "host-a", 11, "1.0", T(90), T(90), 0};
  ASSERT_TRUE(store_->RegisterDaemon(a).ok());
  ASSERT_EQ(store_->ClaimThreads({kKey}, "a", T(100), T(110))->claimed.size(), 1u);
  auto held = store_->Heartbeat("a", T(108), T(200));
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  auto daemons = b->Daemons(T(150));
  ASSERT_TRUE(daemons.ok());
  if (!Shared()) {
    EXPECT_EQ(*held, 0);
    EXPECT_TRUE(daemons->empty());
    EXPECT_TRUE(store_->DeregisterDaemon("a").ok());
    return;
  }
  EXPECT_EQ(*held, 1);
  // Renewed: at 150 the lease (until 200) still holds against b.
  EXPECT_TRUE(b->ClaimThreads({kKey}, "b", T(150), T(210))->claimed.empty());
  ASSERT_EQ(daemons->size(), 1u);
  EXPECT_EQ((*daemons)[0].host, "host-a");
  EXPECT_EQ((*daemons)[0].pid, 11);
  EXPECT_EQ((*daemons)[0].heartbeat, T(108));
  EXPECT_EQ((*daemons)[0].threads_held, 1);
  ASSERT_TRUE(store_->DeregisterDaemon("a").ok());
  EXPECT_TRUE(b->Daemons(T(150))->empty());
  auto after = b->ClaimThreads({kKey}, "b", T(150), T(210));  // released at once
  ASSERT_EQ(after->claimed.size(), 1u);
  EXPECT_TRUE(after->takeovers.empty());
  EXPECT_EQ(store_->Heartbeat("a", T(160), T(220)).status().code(), Status::Code::kNotFound);
}

TEST_P(ClaimsTest, OneConnectionHoldsTheDiscoveryLockUntilItCloses) {
  std::unique_ptr<Store> b = Another();
  ASSERT_TRUE(b);
  EXPECT_TRUE(*store_->TryDiscoveryLock());
  EXPECT_TRUE(*store_->TryDiscoveryLock());  // held already
  EXPECT_EQ(*b->TryDiscoveryLock(), !Shared());
  std::unique_ptr<Store> c = Another();
  archive_.reset();  // closes the holder's connection
  store_ = nullptr;
  // The server ends the closed session (and frees its locks) a moment after the client left.
  bool taken = false;
  for (int i = 0; i < 250 && !taken; ++i) {
    taken = *c->TryDiscoveryLock();
    if (!taken) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(taken);
}

TEST_P(ClaimsTest, MarksAreSharedByEveryConnection) {
  std::unique_ptr<Store> b = Another();
  ASSERT_TRUE(b);
  EXPECT_FALSE(*store_->GetMark("hot-list"));
  ASSERT_TRUE(store_->SetMark("hot-list", T(123)).ok());
  EXPECT_EQ(*b->GetMark("hot-list"), T(123));
  ASSERT_TRUE(b->SetMark("hot-list", T(456)).ok());
  EXPECT_EQ(*store_->GetMark("hot-list"), T(456));
}

// Four owners race to claim the same 40 due threads, each on its own connection, five times
// over: every thread is claimed by exactly one of them (which may claim it again).
TEST_P(ClaimsTest, RacingOwnersNeverClaimOneThreadTwice) {
  if (!Shared()) GTEST_SKIP() << "a file archive has one daemon";
  std::vector<ThreadKey> keys;
  for (uint64_t id = 100; id < 140; ++id) {
    keys.push_back({"zhihu", id});
    ASSERT_TRUE(store_->AddThread(keys.back(), T(1)).ok());
  }
  std::mutex mu;
  std::map<uint64_t, std::set<int>> claimed;  // thread → its claimants
  std::vector<std::thread> owners;
  std::atomic<int> failures{0};
  for (int o = 0; o < 4; ++o) {
    std::unique_ptr<Store> s = Another();
    ASSERT_TRUE(s);
    owners.emplace_back([&, o, s = std::shared_ptr<Store>(std::move(s))] {
      for (int round = 0; round < 5; ++round) {
        auto c = s->ClaimThreads(keys, "owner" + std::to_string(o), T(100), T(160));
        if (!c.ok()) {
          ++failures;
          continue;
        }
        std::lock_guard lock(mu);
        for (const ThreadKey& k : c->claimed) claimed[k.id].insert(o);
      }
    });
  }
  for (std::thread& t : owners) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(claimed.size(), keys.size());
  for (const auto& [id, owners] : claimed) EXPECT_EQ(owners.size(), 1u) << id;
}

INSTANTIATE_TEST_SUITE_P(Backends, ClaimsTest, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace archivist::store::testing
