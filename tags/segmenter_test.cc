// Unit tests of the segmentation pieces on hand-checked cases (jieba's own README examples
// and the block/HMM splitting rules). The exhaustive comparison is jieba_reference_test.cc.
#include "tags/segmenter.h"

#include <gtest/gtest.h>

#include "tags/hmm.h"
#include "tags/test_support.h"
#include "tags/utf8.h"

namespace archivist::tags {
namespace {

std::vector<std::string> Cut(const std::string& text) {
  Result<std::vector<std::string>> r = testing::SharedJieba().Cut(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<std::string>{};
}

using V = std::vector<std::string>;

TEST(SegmenterTest, JiebaReadmeExamples) {
  EXPECT_EQ(Cut("我来到北京清华大学"), (V{"我", "来到", "北京", "清华大学"}));
  // 杭研 is not in the dictionary: the HMM finds it.
  EXPECT_EQ(Cut("他来到了网易杭研大厦"), (V{"他", "来到", "了", "网易", "杭研", "大厦"}));
  EXPECT_EQ(Cut("小明硕士毕业于中国科学院计算所，后在日本京都大学深造"),
            (V{"小明", "硕士", "毕业", "于", "中国科学院", "计算所", "，", "后", "在", "日本京都大学",
               "深造"}));
}

TEST(SegmenterTest, NonBlockCharactersAreSingleTokensExceptCrLf) {
  EXPECT_EQ(Cut("a\r\nb"), (V{"a", "\r\n", "b"}));
  EXPECT_EQ(Cut("\r\r\n\n"), (V{"\r", "\r\n", "\n"}));
  EXPECT_EQ(Cut("  ！？"), (V{" ", " ", "！", "？"}));
  EXPECT_EQ(Cut("\xF0\x9F\x98\x80x"), (V{"\xF0\x9F\x98\x80", "x"}));  // U+1F600 is one token
  EXPECT_EQ(Cut(""), V{});
}

TEST(SegmenterTest, BlockClassIsAsciiAndJiebaHanRange) {
  EXPECT_TRUE(Segmenter::IsBlockChar(U'a'));
  EXPECT_TRUE(Segmenter::IsBlockChar(U'%'));
  EXPECT_TRUE(Segmenter::IsBlockChar(U'-'));
  EXPECT_TRUE(Segmenter::IsBlockChar(0x4E00));
  EXPECT_TRUE(Segmenter::IsBlockChar(0x9FD5));
  EXPECT_FALSE(Segmenter::IsBlockChar(0x9FD6));
  EXPECT_FALSE(Segmenter::IsBlockChar(0xFF41));  // full-width a
  EXPECT_FALSE(Segmenter::IsBlockChar(U'@'));
  EXPECT_FALSE(Segmenter::IsBlockChar(0x212A));  // Kelvin sign: no case folding
}

std::vector<std::string> Hmm(const std::u32string& text) {
  std::vector<std::u32string_view> tokens;
  HmmCut(testing::SharedJieba().data().hmm, text, &tokens);
  std::vector<std::string> out;
  for (const auto t : tokens) out.push_back(EncodeUtf8(t));
  return out;
}

TEST(HmmTest, NonHanPartsSplitLikeFinalsegReSkip) {
  // re_skip = ([a-zA-Z0-9]+(?:\.\d+)?%?): matches and the text between them are tokens.
  EXPECT_EQ(Hmm(U"1.5%abc+#x"), (V{"1.5%", "abc", "+#", "x"}));
  EXPECT_EQ(Hmm(U"a.b"), (V{"a", ".", "b"}));
  EXPECT_EQ(Hmm(U"1.2.3"), (V{"1.2", ".", "3"}));
  EXPECT_EQ(Hmm(U"v2.0%%"), (V{"v2.0%", "%"}));
  EXPECT_EQ(Hmm(U"._-"), (V{"._-"}));
}

TEST(HmmTest, EveryHanRunIsCoveredExactly) {
  const std::u32string text = U"杭研x杭研大厦";
  std::vector<std::u32string_view> tokens;
  HmmCut(testing::SharedJieba().data().hmm, text, &tokens);
  std::u32string joined;
  for (const auto t : tokens) joined += t;
  EXPECT_EQ(joined, text);
  EXPECT_EQ(EncodeUtf8(tokens[0]), "杭研");
}

TEST(ExtractTagsTest, StopWordsAreCheckedLowerCasedAndShortTokensDropped) {
  const Jieba& j = testing::SharedJieba();
  EXPECT_TRUE(j.data().IsStopWord("the"));
  EXPECT_FALSE(j.data().IsStopWord("The"));
  // "THE" and "The" lower-case to a stop word; "a" is one character.
  EXPECT_EQ(*j.ExtractTags("THE The the a python", 5), (V{"python"}));
  EXPECT_EQ(*j.ExtractTags("", 5), V{});
}

TEST(ExtractTagsTest, EqualWeightsKeepFirstOccurrenceOrder) {
  // Two unknown words once each get the same (median) weight: first seen comes first.
  EXPECT_EQ(*testing::SharedJieba().ExtractTags("qqzx zzqx", 5), (V{"qqzx", "zzqx"}));
  EXPECT_EQ(*testing::SharedJieba().ExtractTags("zzqx qqzx", 5), (V{"zzqx", "qqzx"}));
}

TEST(ExtractTagsTest, InvalidUtf8IsAnErrorNamingTheOffset) {
  Result<std::vector<std::string>> r = testing::SharedJieba().ExtractTags("ab\xFF", 5);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("byte 2"), std::string::npos) << r.status().ToString();
}

}  // namespace
}  // namespace archivist::tags
