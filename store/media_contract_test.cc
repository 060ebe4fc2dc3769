// The media tables' contract, on every backend (StoreTest, store_fixture_test_util.h): refs
// linked in the refresh's transaction, each image stored once by hash, every fetch kept as
// history, back-off, and a failed fetch record leaving nothing half-written.
#include <gtest/gtest.h>

#include <map>

#include "store/store_fixture_test_util.h"

namespace archivist::store::testing {
namespace {

const std::string kU1 = "https://pic1.zhimg.com/v2-one_r.jpg";
const std::string kU2 = "https://pic2.zhimg.com/v2-two_r.png";
const std::string kU3 = "https://pic3.zhimg.com/v2-three_r.gif";
const std::string kSha1(64, 'a');
const std::string kSha3(64, 'c');

class MediaStoreTest : public StoreTest {
 protected:
  // A refresh as the pipeline does it with media on: each new revision of answer `id` links
  // images[id].
  Status RefreshWithImages(int64_t seconds, const model::Snapshot& snap,
                           std::map<model::AnswerId, std::vector<std::string>> images) {
    Result<model::ThreadState> state = store_->LoadState({"zhihu", kQ});
    if (!state.ok()) return state.status();
    model::ChangeSet cs = diff::Classify(*state, snap, {}, classify_, Timestamp::FromSeconds(seconds));
    for (auto& r : cs.revisions) {
      r.markdown = "md";
      r.image_urls = images[r.answer_id];
    }
    return store_->CommitRefresh(testing::Record(kQ, seconds, std::move(cs), snap.outcome));
  }

  MediaFetchRecord Stored(const std::string& url, const std::string& sha, std::string data,
                          int64_t seconds) {
    MediaFetchRecord f;
    f.url = url;
    f.at = Timestamp::FromSeconds(seconds);
    f.status = MediaStatus::kStored;
    f.http_status = 200;
    f.sha256 = sha;
    f.media_type = "image/jpeg";
    f.data = std::move(data);
    return f;
  }

  // "answer:revision:position status sha-prefix" of every ref.
  std::vector<std::string> Refs(std::optional<model::AnswerId> answer = std::nullopt) {
    std::vector<std::string> out;
    auto refs = store_->MediaRefs({"zhihu", kQ}, answer);
    EXPECT_TRUE(refs.ok()) << refs.status().ToString();
    if (!refs.ok()) return out;
    for (const MediaRefRecord& r : *refs) {
      out.push_back(std::to_string(r.answer.id) + ":" + std::to_string(r.revision) + ":" +
                    std::to_string(r.position) + " " + r.url.substr(r.url.size() - 6) + " " +
                    std::string(MediaStatusName(r.status)) +
                    (r.sha256.empty() ? "" : " " + r.sha256.substr(0, 2)));
    }
    return out;
  }

  std::vector<std::string> Due(int64_t seconds) {
    std::vector<std::string> out;
    auto due = store_->DueMedia({"zhihu", kQ}, Timestamp::FromSeconds(seconds), 10);
    EXPECT_TRUE(due.ok()) << due.status().ToString();
    if (due.ok()) {
      for (const MediaTask& t : *due) out.push_back(t.url + " " + std::to_string(t.attempts));
    }
    return out;
  }
};

TEST_P(MediaStoreTest, OneImageOfTwoAnswersIsStoredOnce) {
  ASSERT_TRUE(RefreshWithImages(100, Snap({A(1, "one"), A(2, "two")}),
                                {{1, {kU1}}, {2, {kU1, kU2}}}).ok());
  EXPECT_EQ(Refs(), (std::vector<std::string>{"1:1:0 _r.jpg pending", "2:1:0 _r.jpg pending",
                                               "2:1:1 _r.png pending"}));
  EXPECT_EQ(Due(100), (std::vector<std::string>{kU1 + " 0", kU2 + " 0"}));

  ASSERT_TRUE(store_->RecordMediaFetch(Stored(kU1, kSha1, "jpeg bytes", 110)).ok());
  MediaFetchRecord gone;
  gone.url = kU2;
  gone.at = Timestamp::FromSeconds(111);
  gone.status = MediaStatus::kNotFound;
  gone.http_status = 404;
  gone.reason = "HTTP 404";
  ASSERT_TRUE(store_->RecordMediaFetch(gone).ok());
  EXPECT_EQ(Refs(), (std::vector<std::string>{"1:1:0 _r.jpg stored aa", "2:1:0 _r.jpg stored aa",
                                               "2:1:1 _r.png not_found"}));
  EXPECT_TRUE(Due(200).empty());
  EXPECT_EQ(Query("SELECT count(*) FROM media"), "1\n");
  EXPECT_EQ(Query("SELECT url, status, http_status FROM media_fetches ORDER BY id"),
            kU1 + "|stored|200\n" + kU2 + "|not_found|404\n");

  auto refs = store_->MediaRefs({"zhihu", kQ}, 2);
  ASSERT_TRUE(refs.ok());
  ASSERT_EQ(refs->size(), 2u);
  EXPECT_EQ((*refs)[0].size, 10);
  EXPECT_EQ((*refs)[0].media_type, "image/jpeg");
  EXPECT_EQ((*refs)[0].fetched_at, Timestamp::FromSeconds(110));
  EXPECT_EQ((*refs)[1].reason, "HTTP 404");
  EXPECT_EQ((*refs)[1].attempts, 1);

  auto blob = store_->GetMedia(kSha1);
  ASSERT_TRUE(blob.ok()) << blob.status().ToString();
  EXPECT_EQ(blob->data, "jpeg bytes");
  EXPECT_EQ(blob->media_type, "image/jpeg");
  EXPECT_EQ(store_->GetMedia(kSha3).status().code(), Status::Code::kNotFound);
}

// A later revision showing a URL already stored is linked to the stored image at once: the
// images of each time stay findable (show --at), and nothing is fetched twice.
TEST_P(MediaStoreTest, LaterRevisionsLinkStoredUrlsAtOnce) {
  ASSERT_TRUE(RefreshWithImages(100, Snap({A(1, "one")}), {{1, {kU1}}}).ok());
  ASSERT_TRUE(store_->RecordMediaFetch(Stored(kU1, kSha1, "one", 110)).ok());
  ASSERT_TRUE(RefreshWithImages(200, Snap({A(1, "one v2", 150)}), {{1, {kU3, kU1}}}).ok());
  EXPECT_EQ(Refs(1), (std::vector<std::string>{"1:1:0 _r.jpg stored aa", "1:2:0 _r.gif pending",
                                                "1:2:1 _r.jpg stored aa"}));
  EXPECT_EQ(Due(200), (std::vector<std::string>{kU3 + " 0"}));
  // The same bytes under another URL: still one image, two URLs in its history.
  ASSERT_TRUE(store_->RecordMediaFetch(Stored(kU3, kSha1, "one", 210)).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM media"), "1\n");
  EXPECT_EQ(Query("SELECT count(DISTINCT url) FROM media_fetches WHERE sha256 IS NOT NULL"), "2\n");
  int visited = 0;
  ASSERT_TRUE(store_->ForEachMedia([&](const MediaBlob& b) {
    ++visited;
    EXPECT_EQ(b.sha256, kSha1);
    EXPECT_EQ(b.data, "one");
    return Status::Ok();
  }).ok());
  EXPECT_EQ(visited, 1);
}

TEST_P(MediaStoreTest, TransientFailuresWaitForTheirNextTry) {
  ASSERT_TRUE(RefreshWithImages(100, Snap({A(1, "one")}), {{1, {kU1, kU2}}}).ok());
  MediaFetchRecord slow;
  slow.url = kU1;
  slow.at = Timestamp::FromSeconds(101);
  slow.status = MediaStatus::kPending;
  slow.reason = "timeout";
  slow.next_try = Timestamp::FromSeconds(700);
  ASSERT_TRUE(store_->RecordMediaFetch(slow).ok());
  EXPECT_EQ(Due(699), (std::vector<std::string>{kU2 + " 0"}));
  EXPECT_EQ(Due(700), (std::vector<std::string>{kU2 + " 0", kU1 + " 1"}));
  EXPECT_EQ(Refs()[0], "1:1:0 _r.jpg pending");
  // Refs of another thread are not this thread's work.
  ASSERT_TRUE(store_->AddThread({"zhihu", 5}, Timestamp::FromSeconds(1)).ok());
  auto other = store_->DueMedia({"zhihu", 5}, Timestamp::FromSeconds(700), 10);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
  EXPECT_EQ(store_->DueMedia({"zhihu", 6}, Timestamp::FromSeconds(1), 1).status().code(),
            Status::Code::kNotFound);
}

// A fetch record that fails part-way leaves no blob, no history row and the refs pending.
TEST_P(MediaStoreTest, AFailedMediaWriteLeavesNothing) {
  ASSERT_TRUE(RefreshWithImages(100, Snap({A(1, "one")}), {{1, {kU1}}}).ok());
  const std::string before = Dump();
  archive_->SetFaultHook([](std::string_view op) {
    return op == "commit media" ? Status::IoError("injected") : Status::Ok();
  });
  EXPECT_FALSE(store_->RecordMediaFetch(Stored(kU1, kSha1, "one", 110)).ok());
  archive_->SetFaultHook(nullptr);
  EXPECT_EQ(Dump(), before);
  EXPECT_EQ(Due(200), (std::vector<std::string>{kU1 + " 0"}));
  MediaFetchRecord bad = Stored(kU1, "short", "one", 110);
  EXPECT_EQ(store_->RecordMediaFetch(bad).code(), Status::Code::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, MediaStoreTest, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace archivist::store::testing
