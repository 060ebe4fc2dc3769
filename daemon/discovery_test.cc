#include "pipeline/discovery.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "tests/support/mock_process.h"
#include "config/config.h"
#include "daemon/zhihu_hot_list.h"
#include "store/sqlite_store.h"

namespace archivist::daemon {
namespace {

using pipeline::AddDiscovered;

store::ThreadKey Key(uint64_t id) { return {std::string(store::kZhihu), id}; }

class DiscoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("archivist_discovery_" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path_);
    auto s = store::SqliteStore::Open(path_.string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  std::filesystem::path path_;
  std::unique_ptr<store::SqliteStore> store_;
};

TEST_F(DiscoveryTest, AddsOnlyUnknownQuestionsAsDiscovered) {
  const Timestamp now = Timestamp::FromSeconds(1'800'000'000);
  ASSERT_TRUE(store_->AddThread(Key(1), now).ok());                       // tracked by a person
  ASSERT_TRUE(store_->AddThread(Key(2), now).ok());
  ASSERT_TRUE(store_->SetTracking(Key(2), store::Tracking::kRemoved).ok());  // removed by a person
  ASSERT_TRUE(store_->AddThread(Key(3), now, true, now).ok());
  ASSERT_TRUE(store_->SetTracking(Key(3), store::Tracking::kRetired).ok());  // retired
  std::vector<model::HotItem> hot = {{1, "a", ""}, {2, "b", ""}, {3, "c", ""},
                                     {4, "d", ""}, {4, "d", ""}, {5, "e", ""}, {0, "", ""}};
  auto added = AddDiscovered(*store_, hot, now, std::chrono::hours(24));
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_EQ(added->size(), 2u);
  EXPECT_EQ((*added)[0].key.id, 4u);
  EXPECT_EQ((*added)[1].key.id, 5u);
  const Timestamp until = Timestamp::FromSeconds(1'800'000'000 + 86400);
  EXPECT_EQ((*added)[0].track_until, until);
  auto t4 = store_->GetThread(Key(4));
  ASSERT_TRUE(t4.ok());
  EXPECT_TRUE(t4->discovered);
  EXPECT_EQ(t4->track_until, until);
  EXPECT_EQ(t4->tracking, store::Tracking::kActive);
  EXPECT_EQ(store_->GetThread(Key(2))->tracking, store::Tracking::kRemoved);
  EXPECT_EQ(store_->GetThread(Key(3))->tracking, store::Tracking::kRetired);
  EXPECT_FALSE(store_->GetThread(Key(1))->discovered);
  // A second poll of the same list adds nothing.
  EXPECT_TRUE(AddDiscovered(*store_, hot, now, std::chrono::hours(24))->empty());
}

TEST(ZhihuHotList, ReadsTheMockServersHotList) {
  const std::string data = e2e::TestData();
  ASSERT_FALSE(data.empty()) << "ARCHIVIST_TEST_DATA is not set";
  e2e::MockProcess mock({data + "/zhihu/questions"});
  ASSERT_TRUE(mock.ok()) << mock.error();
  config::Config c;
  c.zhihu.base_url = mock.base_url();
  c.fetch.per_host_delay = std::chrono::milliseconds(0);
  RealClock clock;
  fetch::Politeness politeness(clock, pipeline::PolitenessOptionsOf(c));
  pipeline::SharedTagger tagger;
  pipeline::SharedBrowser browser(clock, nullptr);
  auto source = MakeZhihuHotList(c, {clock, politeness, tagger, browser});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  auto items = (*source)->HotList();
  ASSERT_TRUE(items.ok()) << items.status().ToString();
  ASSERT_FALSE(items->empty());
  for (const model::HotItem& item : *items) {
    EXPECT_NE(item.question_id, 0u);
    EXPECT_FALSE(item.title.empty());
  }
}

}  // namespace
}  // namespace archivist::daemon
