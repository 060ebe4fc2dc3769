// The compiled cache: used when valid, and never trusted when damaged or stale; missing data
// files are clear errors.
#include "tags/data_cache.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "tags/jieba.h"
#include "tags/test_support.h"
#include "tests/support/temp_dir.h"

namespace archivist::tags {
namespace {

namespace fs = std::filesystem;

const char kSample[] = "小明硕士毕业于中国科学院计算所，后在日本京都大学深造。他来到了网易杭研大厦 iPhone 1.5%";

class DataCacheTest : public ::testing::Test {
 protected:

  Result<std::unique_ptr<Jieba>> Load(JiebaLoadReport* report,
                                      const std::string& data_dir = kDefaultJiebaDir) {
    JiebaOptions options;
    options.data_dir = data_dir;
    options.cache_dir = dir_ + "/cache";
    return Jieba::Load(options, report);
  }

  // Loads and checks the result still equals the uncached reference on kSample.
  JiebaLoadReport LoadAndCheck(const std::string& data_dir = kDefaultJiebaDir) {
    JiebaLoadReport report;
    Result<std::unique_ptr<Jieba>> j = Load(&report, data_dir);
    EXPECT_TRUE(j.ok()) << j.status().ToString();
    if (j.ok()) {
      EXPECT_EQ(*(*j)->Cut(kSample), *testing::SharedJieba().Cut(kSample));
      EXPECT_EQ(*(*j)->ExtractTags(kSample, 20), *testing::SharedJieba().ExtractTags(kSample, 20));
    }
    return report;
  }

  void Rewrite(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }

  test_support::TempDir temp_{"archivist-tags-test"};
  const std::string dir_ = temp_.path();
};

TEST_F(DataCacheTest, FirstLoadWritesTheCacheSecondLoadUsesIt) {
  JiebaLoadReport first = LoadAndCheck();
  EXPECT_FALSE(first.from_cache);
  EXPECT_TRUE(first.cache_written) << first.cache_note;
  EXPECT_TRUE(fs::exists(first.cache_path));
  JiebaLoadReport second = LoadAndCheck();
  EXPECT_TRUE(second.from_cache) << second.cache_note;
  EXPECT_FALSE(second.cache_written);
}

TEST_F(DataCacheTest, DamagedCacheIsRejectedAndRewritten) {
  const std::string path = LoadAndCheck().cache_path;
  const std::string good = testing::ReadAll(path);
  ASSERT_GT(good.size(), 1000u);

  std::string flipped = good;
  flipped[flipped.size() / 2] ^= 0x10;
  Rewrite(path, flipped);
  JiebaLoadReport r = LoadAndCheck();
  EXPECT_FALSE(r.from_cache);
  EXPECT_NE(r.cache_note.find("checksum mismatch"), std::string::npos) << r.cache_note;
  EXPECT_TRUE(r.cache_written);
  EXPECT_EQ(testing::ReadAll(path), good);

  Rewrite(path, good.substr(0, good.size() - 5));
  r = LoadAndCheck();
  EXPECT_FALSE(r.from_cache);
  EXPECT_TRUE(r.cache_written);

  Rewrite(path, "ARVJ");
  r = LoadAndCheck();
  EXPECT_FALSE(r.from_cache);
  EXPECT_NE(r.cache_note.find("not a cache file"), std::string::npos) << r.cache_note;
}

TEST_F(DataCacheTest, CacheIsStaleWhenASourceFileChanges) {
  // A private copy of the data directory whose files we can touch.
  const std::string data = dir_ + "/jieba";
  for (const std::string& file : JiebaSourceFiles()) {
    fs::create_directories(fs::path(data + "/" + file).parent_path());
    fs::copy_file(std::string(kDefaultJiebaDir) + "/" + file, data + "/" + file);
  }
  EXPECT_TRUE(LoadAndCheck(data).cache_written);
  EXPECT_TRUE(LoadAndCheck(data).from_cache);
  const std::string tfidf = data + "/analyse/tfidf.py";
  fs::last_write_time(tfidf, fs::last_write_time(tfidf) + std::chrono::seconds(5));
  JiebaLoadReport r = LoadAndCheck(data);
  EXPECT_FALSE(r.from_cache);
  EXPECT_NE(r.cache_note.find("stale"), std::string::npos) << r.cache_note;
  EXPECT_TRUE(LoadAndCheck(data).from_cache);
}

TEST_F(DataCacheTest, MissingDataFileNamesThePathAndThePackage) {
  JiebaLoadReport report;
  Result<std::unique_ptr<Jieba>> j = Load(&report, dir_ + "/nowhere");
  ASSERT_FALSE(j.ok());
  const std::string msg = j.status().message();
  EXPECT_NE(msg.find(dir_ + "/nowhere/dict.txt"), std::string::npos) << msg;
  EXPECT_NE(msg.find("python3-jieba"), std::string::npos) << msg;
}

TEST_F(DataCacheTest, MalformedDictionaryLineIsAnErrorWithFileAndLine) {
  Result<PrefixDict> d = ParseDictFile("a 1 n\nb x n\n", "dict.txt");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "invalid dictionary entry in dict.txt at line 2");
  EXPECT_FALSE(ParseDictFile("a 1\n\nb 2\n", "dict.txt").ok());  // empty line, as in Python
  Result<IdfTable> t = ParseIdfFile("a 1.5\nb 2 3\n", "idf.txt");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "invalid IDF entry in idf.txt at line 2");
}

TEST(PrefixDictTest, StructurallyBrokenCacheSectionIsRejected) {
  const PrefixDict good = PrefixDict::Build({{U"ab", 3}, {U"b", 1}});
  CacheWriter w;
  good.Serialize(&w);
  CacheReader ok(w.bytes());
  ASSERT_TRUE(PrefixDict::Deserialize(&ok).ok());

  // Same sizes, but an edge that points back at the root: a cycle, not a tree.
  CacheWriter bad;
  bad.PutScalar(good.total());
  bad.PutScalar(good.MissingWeight());
  bad.PutArray(std::vector<uint32_t>{0, 2, 3, 3, 3});
  bad.PutArray(std::vector<char32_t>{U'a', U'b', U'b'});
  bad.PutArray(std::vector<uint32_t>{1, 3, 0});
  bad.PutArray(std::vector<double>{0, 0, 0, 0});
  bad.PutArray(std::vector<uint8_t>{0, 0, 1, 1});
  CacheReader r(bad.bytes());
  Result<PrefixDict> d = PrefixDict::Deserialize(&r);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kCorruption);
}

TEST(PrefixDictTest, LaterLineForTheSameWordWinsAndTotalCountsBoth) {
  const PrefixDict d = PrefixDict::Build({{U"ab", 3}, {U"abc", 2}, {U"ab", 5}});
  EXPECT_EQ(d.total(), 10u);
  const uint32_t ab = d.Find(U"ab");
  ASSERT_NE(ab, PrefixDict::kNoNode);
  EXPECT_TRUE(d.IsWord(ab));
  EXPECT_EQ(d.Weight(ab), std::log(5.0) - std::log(10.0));
  const uint32_t a = d.Find(U"a");
  ASSERT_NE(a, PrefixDict::kNoNode);
  EXPECT_FALSE(d.IsWord(a));  // a prefix only: FREQ["a"] == 0
  EXPECT_EQ(d.Find(U"b"), PrefixDict::kNoNode);
}

}  // namespace
}  // namespace archivist::tags
