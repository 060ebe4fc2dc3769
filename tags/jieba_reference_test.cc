// The port against python3-jieba itself: 2,400 texts generated from a fixed seed (mixed
// Chinese from the fixtures and random Han runs, English with stop words, numbers, ASCII and
// full-width punctuation, emoji, other scripts, white space of every kind, long unknown runs)
// go to tests/jieba/reference.py in one batch; jieba.lcut and extract_tags(topK=5) must equal
// ours for every one.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "tags/test_support.h"
#include "tags/utf8.h"
#include "tests/support/temp_dir.h"

namespace archivist::tags {
namespace {

using testing::Escaped;

constexpr int kTexts = 2400;

class TextGenerator {
 public:
  explicit TextGenerator(uint64_t seed) : rng_(seed) { LoadCorpus(); }

  std::u32string Text() {
    std::u32string out;
    const size_t pieces = Below(4) == 0 ? Below(3) : 1 + Below(24);
    for (size_t i = 0; i < pieces; ++i) Piece(&out);
    return out;
  }

 private:
  size_t Below(size_t n) { return static_cast<size_t>(rng_() % n); }
  char32_t Range(char32_t lo, char32_t hi) { return lo + static_cast<char32_t>(Below(hi - lo + 1)); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Below(v.size())]; }

  void LoadCorpus() {
    for (const char* root : {"tests/data/zhihu/questions", "tests/data/seed/questions"}) {
      std::vector<std::filesystem::path> dirs;
      for (const auto& e : std::filesystem::directory_iterator(testing::SourcePath(root))) {
        dirs.push_back(e.path());
      }
      std::sort(dirs.begin(), dirs.end());  // directory order is not deterministic
      for (const auto& d : dirs) {
        Result<std::u32string> t =
            DecodeUtf8(testing::ReadAll((d / "expected/text.txt").string()), "fixture");
        if (t.ok()) corpus_ += *t;
      }
    }
    ASSERT_GT(corpus_.size(), 10000u);
  }

  void Piece(std::u32string* out) {
    static const std::vector<std::u32string> kEnglish = {
        U"the", U"The", U"THE", U"and", U"AND", U"of", U"is", U"to", U"in", U"that", U"This",
        U"python", U"Jieba", U"iPhone", U"hello", U"World", U"a", U"I", U"it's", U"e-mail",
        U"C++", U"c#", U"AT&T", U"foo_bar", U"x86_64", U"OK", U"GPT", U"wifi", U"Zhihu", U"ok"};
    static const std::vector<std::u32string> kNumbers = {
        U"3.14", U"50%", U"1.5%", U"12.", U".5", U"1.2.3", U"v2.0", U"a1b2", U"2024", U"007",
        U"100%%", U"3.14.15%", U"1e10", U"-5", U"+1", U"0.0.0.0", U"#1", U"&amp;", U"%", U"."};
    static const std::vector<std::u32string> kMixed = {
        U"B超", U"T恤", U"3G网络", U"第3季度", U"iPhone6手机", U"卡拉OK", U"5.5亿元", U"20%的人",
        U"中国2024年", U"α粒子", U"Ｂ超", U"ｉＰｈｏｎｅ", U"１２３", U"A股", U"PM2.5浓度",
        U"他来到了网易杭研大厦", U"小明硕士毕业于中国科学院计算所", U"我来到北京清华大学"};
    static const std::vector<std::u32string> kSpace = {
        U" ", U"\t", U"\n", U"\r\n", U"\r", U"\v", U"\f", U"\x1c", U"\x1d", U"\x1e", U"\x1f",
        U"\x85", U"\xa0", U"\u1680", U"\u2000", U"\u2003", U"\u200a", U"\u2028", U"\u2029",
        U"\u202f", U"\u205f", U"\u3000", U"\u200b", U"\ufeff", U"\r\r\n", U"\n\r", U"  "};
    static const std::u32string kAsciiPunct = U"+#&._%-!@$^*()[]{};:'\",<>/?\\|`~=";
    static const std::u32string kWidePunct = U"，。！？、；：“”‘’（）【】《》…—～·「」『』〔〕";
    switch (Below(13)) {
      case 0: case 1: case 2: {  // real Chinese text from the fixtures
        const size_t len = 1 + Below(120);
        out->append(corpus_.substr(Below(corpus_.size() - len), len));
        break;
      }
      case 3: {  // random Han characters: unknown runs for the HMM
        const size_t len = Below(8) == 0 ? 60 + Below(300) : 1 + Below(12);
        for (size_t i = 0; i < len; ++i) out->push_back(Range(0x4E00, 0x9FD5));
        break;
      }
      case 4: out->append(Pick(kEnglish)); break;
      case 5: out->append(Pick(kNumbers)); break;
      case 6: out->append(Pick(kMixed)); break;
      case 7: {
        const size_t n = 1 + Below(3);
        for (size_t i = 0; i < n; ++i) out->append(Pick(kSpace));
        break;
      }
      case 8: out->push_back(kAsciiPunct[Below(kAsciiPunct.size())]); break;
      case 9: {
        if (Below(2) == 0) out->push_back(kWidePunct[Below(kWidePunct.size())]);
        else out->push_back(Range(0xFF01, 0xFF5E));  // full-width ASCII
        break;
      }
      case 10: {  // emoji, with ZWJ sequences, skin tones and variation selectors
        static const std::vector<std::u32string> kEmoji = {
            U"\U0001F600", U"\U0001F468\u200D\U0001F469\u200D\U0001F467", U"\U0001F44D\U0001F3FD",
            U"\u2764\uFE0F", U"\U0001F1E8\U0001F1F3", U"\u263A", U"\U0001F914"};
        if (Below(2) == 0) out->append(Pick(kEmoji));
        else out->push_back(Range(0x1F300, 0x1F64F));
        break;
      }
      case 11: {  // other scripts and Han outside jieba's range
        static const std::vector<std::pair<char32_t, char32_t>> kRanges = {
            {0x9FD6, 0x9FFF}, {0x3400, 0x4DBF}, {0x20000, 0x2A6DF}, {0x3041, 0x3096},
            {0xAC00, 0xD7A3}, {0x0410, 0x044F}, {0x0391, 0x03C9}, {0x00C0, 0x00FF},
            {0x0130, 0x0131}, {0x212A, 0x212B}, {0x0660, 0x0669}, {0x2460, 0x2473}};
        const auto& [lo, hi] = Pick(kRanges);
        const size_t len = Below(6) == 0 ? 30 + Below(100) : 1 + Below(4);
        for (size_t i = 0; i < len; ++i) out->push_back(Range(lo, hi));
        break;
      }
      default: {  // a long run of ASCII of jieba's block class
        static const std::u32string kClass =
            U"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._%-";
        const size_t len = 1 + Below(Below(5) == 0 ? 200 : 10);
        for (size_t i = 0; i < len; ++i) out->push_back(kClass[Below(kClass.size())]);
        break;
      }
    }
  }

  std::mt19937_64 rng_;
  std::u32string corpus_;
};

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : " | ") + Escaped(s);
  return out;
}

TEST(JiebaReferenceTest, CutAndTagsEqualPythonJiebaOnGeneratedTexts) {
  TextGenerator gen(20250601);
  std::vector<std::string> texts;
  texts.push_back("");
  for (int i = 1; i < kTexts; ++i) texts.push_back(EncodeUtf8(gen.Text()));

  const test_support::TempDir dir("archivist-tags-test");
  const std::string in_path = dir.Path("in.json");
  const std::string out_path = dir.Path("out.json");
  std::ofstream(in_path, std::ios::binary) << nlohmann::json(texts).dump();
  const std::string command = std::string("'") + ARCHIVIST_JIEBA_PYTHON + "' '" +
                              testing::SourcePath("tests/jieba/reference.py") + "' '" + in_path +
                              "' '" + out_path + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << "failed: " << command;
  const nlohmann::json expected = nlohmann::json::parse(testing::ReadAll(out_path));
  ASSERT_EQ(expected.size(), texts.size());

  const Jieba& jieba = testing::SharedJieba();
  int cut_equal = 0;
  int tags_equal = 0;
  int reported = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    const auto want_cut = expected[i]["cut"].get<std::vector<std::string>>();
    const auto want_tags = expected[i]["tags"].get<std::vector<std::string>>();
    Result<std::vector<std::string>> cut = jieba.Cut(texts[i]);
    Result<std::vector<std::string>> tags = jieba.ExtractTags(texts[i], 5);
    ASSERT_TRUE(cut.ok() && tags.ok());
    cut_equal += *cut == want_cut;
    tags_equal += *tags == want_tags;
    if ((*cut != want_cut || *tags != want_tags) && reported++ < 5) {
      size_t k = 0;
      while (k < cut->size() && k < want_cut.size() && (*cut)[k] == want_cut[k]) ++k;
      ADD_FAILURE() << "text " << i << ": " << Escaped(texts[i]) << "\n  first cut difference at token "
                    << k << ": ours " << (k < cut->size() ? Escaped((*cut)[k]) : "<end>")
                    << ", jieba " << (k < want_cut.size() ? Escaped(want_cut[k]) : "<end>")
                    << "\n  tags ours:  " << Joined(*tags) << "\n  tags jieba: " << Joined(want_tags);
    }
  }
  std::printf("generated texts: cut %d/%zu equal, tags %d/%zu equal\n", cut_equal, texts.size(),
              tags_equal, texts.size());
  EXPECT_EQ(cut_equal, kTexts);
  EXPECT_EQ(tags_equal, kTexts);
}

}  // namespace
}  // namespace archivist::tags
