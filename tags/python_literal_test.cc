#include "tags/python_literal.h"

#include <gtest/gtest.h>

#include "tags/jieba_data.h"
#include "tags/utf8.h"

namespace archivist::tags {
namespace {

Result<PyValue> Parse(const std::string& src) {
  return ParsePyAssignment(*DecodeUtf8(src, "src"), "P", "", "f.py");
}

TEST(PythonLiteralTest, ReadsJiebaStyleTables) {
  Result<PyValue> v = Parse(
      "from __future__ import unicode_literals\n\n"
      "P={'B': {'\\u4e00': -3.6544978750449433,\n  'E': -3.14e+100},  # comment\n"
      " \"S\": -0.5,}\n");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(v->kind, PyValue::Kind::kDict);
  ASSERT_EQ(v->items.size(), 2u);
  EXPECT_EQ(v->items[0].first.str, U"B");
  EXPECT_EQ(v->items[0].second.items[0].first.str, U"\u4e00");
  EXPECT_EQ(v->items[0].second.items[0].second.number, -3.6544978750449433);
  EXPECT_EQ(v->items[0].second.items[1].second.number, -3.14e100);
  EXPECT_EQ(v->items[1].second.number, -0.5);
}

TEST(PythonLiteralTest, StringEscapesFollowPython) {
  Result<PyValue> v = Parse(R"(P=('a\tb', "\x41\101\U0001F600", u'\d\'', '\\'))");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(v->elements.size(), 4u);
  EXPECT_EQ(v->elements[0].str, U"a\tb");
  EXPECT_EQ(v->elements[1].str, U"AA\U0001F600");
  EXPECT_EQ(v->elements[2].str, U"\\d'");  // unknown escapes stay verbatim
  EXPECT_EQ(v->elements[3].str, U"\\");
}

TEST(PythonLiteralTest, ErrorsNameFileAndLine) {
  Result<PyValue> v = Parse("x = 1\nP={'B':\n  foo}\n");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message().rfind("f.py:3: ", 0), 0u) << v.status().ToString();
  EXPECT_FALSE(Parse("P={'B': 1.2.3}").ok());
  EXPECT_FALSE(Parse("P={'B': 'unterminated}").ok());
  EXPECT_FALSE(Parse("Q=1").ok());
  EXPECT_FALSE(Parse("P=b'bytes'").ok());
}

TEST(PythonLiteralTest, DeepNestingIsRefusedNotRecursedInto) {
  Result<PyValue> v = Parse("P=" + std::string(100000, '[') + std::string(100000, ']'));
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("nested too deeply"), std::string::npos);
}

TEST(PythonLiteralTest, AssignmentMustStartALineAndNotBeAComparison) {
  Result<PyValue> v = Parse("if XP == 1: pass\nfoo(P=2)\n  P = 3\n");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->number, 3);
}

TEST(PythonLiteralTest, StopWordsComeFromTheSetCallInTfidfPy) {
  Result<std::vector<std::string>> words = ParseStopWords(
      "class K(object):\n    STOP_WORDS = set((\n        \"the\", \"of\",\n        \"the\"\n    ))\n",
      "tfidf.py");
  ASSERT_TRUE(words.ok()) << words.status().ToString();
  EXPECT_EQ(*words, (std::vector<std::string>{"of", "the"}));
  EXPECT_FALSE(ParseStopWords("STOP_WORDS = frozenset(('a',))\n", "tfidf.py").ok());
}

TEST(PythonLiteralTest, DebianStopWordsAreJiebas) {
  // The 31 distinct words of jieba 0.42.1's KeywordExtractor.STOP_WORDS ("that" is listed
  // twice in the source).
  Result<std::string> src = ReadJiebaFile("/usr/lib/python3/dist-packages/jieba/analyse/tfidf.py");
  ASSERT_TRUE(src.ok()) << src.status().ToString();
  Result<std::vector<std::string>> words = ParseStopWords(*src, "tfidf.py");
  ASSERT_TRUE(words.ok()) << words.status().ToString();
  EXPECT_EQ(words->size(), 31u);
  EXPECT_EQ(words->front(), "all");
  EXPECT_EQ(words->back(), "you");
}

}  // namespace
}  // namespace archivist::tags
