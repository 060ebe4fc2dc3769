// The pieces of the conversion, each with its edge cases (docs/format.md §5). Expected values
// are turndown 7.2.2's.
#include <gtest/gtest.h>

#include "normalize/collapse_whitespace.h"
#include "normalize/dom.h"
#include "normalize/html_input.h"
#include "normalize/normalize.h"
#include "normalize/turndown.h"
#include "normalize/url.h"

namespace archivist::normalize {
namespace {

const Options kPlain{Profile::kPlain, ""};
std::string Plain(const std::string& html) { return HtmlToMarkdown(html, kPlain); }
std::string Zhihu(const std::string& html) { return HtmlToMarkdown(html); }

// The texts of the root's children after collapsing, joined with '|'.
std::string CollapsedTexts(const std::string& html) {
  Dom dom = ParseTurndownRoot(html);
  CollapseWhitespace(&dom, dom.root());
  std::string out;
  for (NodeId n = dom.NextInSubtree(dom.root(), dom.root()); n != kNoNode;
       n = dom.NextInSubtree(n, dom.root())) {
    if (dom[n].type == NodeType::kText) out += "[" + dom[n].data + "]";
  }
  return out;
}

TEST(CollapseWhitespaceTest, RunsBecomeOneSpaceKeptOnceAcrossInlineBoundaries) {
  EXPECT_EQ(CollapsedTexts("a \t\r\n b"), "[a b]");
  EXPECT_EQ(CollapsedTexts("a <b> bold</b>"), "[a ][bold]");
  EXPECT_EQ(CollapsedTexts("<p> x </p> <p> y </p>"), "[x][y]");
  EXPECT_EQ(CollapsedTexts("a<br> b"), "[a][b]");
  // After an inline void element, the next text keeps its leading space.
  EXPECT_EQ(CollapsedTexts("a <img> b"), "[a ][ b]");
  // <pre> is not entered; U+00A0 is never collapsed.
  EXPECT_EQ(CollapsedTexts("<pre>  a\n\n b </pre>"), "[  a\n\n b ]");
  EXPECT_EQ(CollapsedTexts("\u00a0 \u00a0"), "[\u00a0 \u00a0]");
}

TEST(CollapseWhitespaceTest, CommentsAreDroppedOutsidePre) {
  EXPECT_EQ(Plain("a<!-- c -->b"), "ab");
  EXPECT_EQ(Plain("<pre>a<!-- c -->b</pre>"), "ab");
}

TEST(FlankingWhitespaceTest, MovesOutsideDelimitersAndIsDroppedNextToASpace) {
  EXPECT_EQ(Plain("<p>a<strong> bold </strong>b <em> em</em> c<i></i>d<b> </b>e</p>"),
            "a **bold** b _em_ cd e");                           // E4
  EXPECT_EQ(Plain("<p>a<b>&nbsp;bold&nbsp;</b>x</p>"), "a\u00a0**bold**\u00a0x");  // E5
  EXPECT_EQ(Plain("<p>x<a href=\"u\"> lead</a></p>"), "x [lead](u)");
  EXPECT_EQ(Plain("<p><a href=\"u\"> lead</a></p>"), "[lead](u)");
  EXPECT_EQ(Plain("<p>Use <code> pad </code>.</p>"), "Use `pad` .");
  // A blank inline element still contributes its flanking space.
  EXPECT_EQ(Plain("d<b> </b>e"), "d e");
}

TEST(EscapeTest, EveryRuleOfTheTable) {
  EXPECT_EQ(EscapeMarkdown("\\ * ` [ ] _"), "\\\\ \\* \\` \\[ \\] \\_");
  EXPECT_EQ(EscapeMarkdown("- x"), "\\- x");
  EXPECT_EQ(EscapeMarkdown("-x"), "\\-x");
  EXPECT_EQ(EscapeMarkdown("+ x"), "\\+ x");
  EXPECT_EQ(EscapeMarkdown("+x"), "+x");
  EXPECT_EQ(EscapeMarkdown("===x"), "\\===x");
  EXPECT_EQ(EscapeMarkdown("# x"), "\\# x");
  EXPECT_EQ(EscapeMarkdown("###### x"), "\\###### x");
  EXPECT_EQ(EscapeMarkdown("####### x"), "####### x");
  EXPECT_EQ(EscapeMarkdown("#x"), "#x");
  EXPECT_EQ(EscapeMarkdown("~~~x"), "\\~~~x");
  EXPECT_EQ(EscapeMarkdown("~~x"), "~~x");
  EXPECT_EQ(EscapeMarkdown("> q"), "\\> q");
  EXPECT_EQ(EscapeMarkdown("a > q"), "a > q");
  EXPECT_EQ(EscapeMarkdown("12. x"), "12\\. x");
  EXPECT_EQ(EscapeMarkdown("1.x"), "1.x");
  EXPECT_EQ(EscapeMarkdown("1) x"), "1) x");
  EXPECT_EQ(EscapeMarkdown("mid 1. ok - ok"), "mid 1. ok - ok");
  // Step 1 runs first: a leading backslash keeps later ^-rules from firing.
  EXPECT_EQ(EscapeMarkdown("\\- x"), "\\\\- x");
  EXPECT_EQ(EscapeMarkdown("< & ! ( ) | ~"), "< & ! ( ) | ~");
}

TEST(EscapeTest, LeadingMeansStartOfTheTextNode) {
  EXPECT_EQ(Plain("<p>原始资本 - 打包 <a href=\"u\">abs</a>- 卖</p>"), "原始资本 - 打包 [abs](u)\\- 卖");
  EXPECT_EQ(Plain("<p><b>x</b> 1. y</p>"), "**x** 1. y");
  EXPECT_EQ(Plain("<p> - x</p>"), "\\- x");
  EXPECT_EQ(Plain("<code>a_b</code>"), "`a_b`");  // no escaping under CODE
}

TEST(JoinTest, MergesNewlineRunsAtTheSeamOnly) {
  std::string out = "x  \n";
  JoinInto(&out, "\n\ny");
  EXPECT_EQ(out, "x  \n\ny");
  out = "a\n\n\n";
  JoinInto(&out, "\nb");
  EXPECT_EQ(out, "a\n\nb");
  out = "    \n\n";
  JoinInto(&out, "c");
  EXPECT_EQ(out, "    \n\nc");
  out = "a";
  JoinInto(&out, "b");
  EXPECT_EQ(out, "ab");
}

TEST(ListTest, NumberingFollowsStartAndElementIndex) {
  EXPECT_EQ(Plain("<ol start=\"9\"><li>nine</li><li>ten<br>more</li><li>eleven<ol><li>x</li></ol></li></ol>"),
            "9.  nine\n10.  ten  \n     more\n11.  eleven\n     1.  x");  // E11
  EXPECT_EQ(Plain("<ol><p>x</p><li>a</li><li>b</li></ol>"), "x\n\n2.  a\n3.  b");
  EXPECT_EQ(Plain("<ol start=\"0x10\"><li>a</li></ol>"), "16.  a");
  EXPECT_EQ(Plain("<ol start=\"x\"><li>b</li></ol>"), "NaN.  b");
  EXPECT_EQ(Plain("<ol start=\"-2\"><li>c</li></ol>"), "-2.  c");
  EXPECT_EQ(Plain("<ol start=\"0\"><li>a</li></ol>"), "0.  a");
  EXPECT_EQ(Plain("<ul><li>a</li>t<li>b</li></ul>"), "*   a\nt*   b");
  EXPECT_EQ(Plain("<ul><li>a<ul><li>x</li></ul>tail</li></ul>"), "*   a\n    *   xtail");
  EXPECT_EQ(Plain("<ul><li><p>para a</p><p>para b</p></li><li>last</li></ul>"),
            "*   para a\n    \n    para b\n    \n*   last");
}

TEST(HeadingTest, SetextUnderlineHasTheUtf16LengthOfTheContent) {
  EXPECT_EQ(Plain("<h2>😀 <b>ok</b></h2>"), "😀 **ok**\n---------");
  EXPECT_EQ(Plain("<h2>a<br>b</h2>"), "a  \nb\n-----");
  EXPECT_EQ(Plain("<h1></h1><h3>x</h3>"), "### x");
}

TEST(CodeTest, FencesAndDelimiters) {
  EXPECT_EQ(Plain("<code>x ` y</code>"), "``x ` y``");
  EXPECT_EQ(Plain("<code>`tick</code>"), "`` `tick ``");
  EXPECT_EQ(Plain("<pre><code>a</code>b</pre>"), "    a");
  EXPECT_EQ(Zhihu("<pre><code class=\"language-cpp\">int x;\n```\n</code></pre>"),
            "````cpp\nint x;\n```\n````");
}

TEST(BlockquoteTest, PrefixesEveryLineTerminator) {
  EXPECT_EQ(Plain("<blockquote>a&#x2028;b</blockquote>"), "> a\u2028> b");
  EXPECT_EQ(Plain("<blockquote>q<br>r</blockquote>"), "> q  \n> r");
}

TEST(FinalTrimTest, IsAsymmetric) {
  EXPECT_EQ(Plain("<br>x"), "  \nx");
  EXPECT_EQ(Plain("<p>&nbsp;lead</p>"), "\u00a0lead");
  EXPECT_EQ(Plain("<p>a\u3000</p><p>b</p>"), "a\u3000\n\nb");
  EXPECT_EQ(Plain("<p>a\u3000</p>"), "a");
}

TEST(UrlTest, PyQuoteKeepsOnlyTheSafeSet) {
  EXPECT_EQ(PyQuote("https://picx.zhimg.com/v2-ab_r.jpg?source=1def8aca"),
            "https%3A//picx.zhimg.com/v2-ab_r.jpg%3Fsource%3D1def8aca");
  EXPECT_EQ(PyQuote("a b~c/知"), "a%20b~c/%E7%9F%A5");
  EXPECT_EQ(PyQuote(""), "");
}

TEST(UrlTest, AbsolutizeResolvesAgainstZhihu) {
  EXPECT_EQ(AbsolutizeZhihuUrl("//pic1.zhimg.com/a.jpg"), "https://pic1.zhimg.com/a.jpg");
  EXPECT_EQ(AbsolutizeZhihuUrl("  /people/x  "), "https://www.zhihu.com/people/x");
  EXPECT_EQ(AbsolutizeZhihuUrl("question/1"), "https://www.zhihu.com/question/1");
  EXPECT_EQ(AbsolutizeZhihuUrl("../up/./x"), "https://www.zhihu.com/up/x");
  EXPECT_EQ(AbsolutizeZhihuUrl("?q=a b"), "https://www.zhihu.com/?q=a%20b");
  EXPECT_EQ(AbsolutizeZhihuUrl("/a b/知"), "https://www.zhihu.com/a%20b/%E7%9F%A5");
  EXPECT_EQ(AbsolutizeZhihuUrl("\\x\\y"), "https://www.zhihu.com/x/y");
  EXPECT_EQ(AbsolutizeZhihuUrl("#frag"), "#frag");
  EXPECT_EQ(AbsolutizeZhihuUrl("mailto:a@b"), "mailto:a@b");
  EXPECT_EQ(AbsolutizeZhihuUrl("https://link.zhihu.com/?target=x"),
            "https://link.zhihu.com/?target=x");
  EXPECT_EQ(AbsolutizeZhihuUrl(""), "");
}

TEST(UrlTest, DecodeUriComponentRejectsWhatJsRejects) {
  std::string out;
  EXPECT_TRUE(DecodeUriComponent("a%2Bb%E7%9F%A5", &out));
  EXPECT_EQ(out, "a+b知");
  EXPECT_FALSE(DecodeUriComponent("%", &out));
  EXPECT_FALSE(DecodeUriComponent("%zz", &out));
  EXPECT_FALSE(DecodeUriComponent("%E7%9F", &out));
  EXPECT_FALSE(DecodeUriComponent("%C0%AF", &out));  // overlong
}

TEST(MathTest, MalformedTexEscapeIsKeptRaw) {
  // The reference throws URIError here; archivist keeps the parameter undecoded.
  EXPECT_EQ(Zhihu("<p>a <img src=\"https://www.zhihu.com/equation?tex=x%zz\" eeimg=\"1\"></p>"),
            "a $x%zz$");
  EXPECT_EQ(Zhihu("<p><img src=\"https://www.zhihu.com/equation?tex=a%2Bb\" eeimg=\"1\"></p>"),
            "$$a+b$$");
}

TEST(InputTest, SanitizeUtf8ReplacesMaximalSubparts) {
  EXPECT_EQ(SanitizeUtf8("ok 知"), "ok 知");
  EXPECT_EQ(SanitizeUtf8("\xe2\x82"), "\uFFFD");
  EXPECT_EQ(SanitizeUtf8("\xe2\x82x"), "\uFFFDx");
  EXPECT_EQ(SanitizeUtf8("\xc0\xaf"), "\uFFFD\uFFFD");
  EXPECT_EQ(SanitizeUtf8("\xed\xa0\x80"), "\uFFFD\uFFFD\uFFFD");  // surrogate
  EXPECT_EQ(SanitizeUtf8("\xf4\x90\x80\x80"), "\uFFFD\uFFFD\uFFFD\uFFFD");
}

TEST(InputTest, LimitNestingDropsOnlyTagsBeyondTheBound) {
  size_t dropped = 0;
  EXPECT_EQ(LimitNesting("<p>a</p>", 4, &dropped), "<p>a</p>");
  EXPECT_EQ(dropped, 0u);
  std::string deep;
  for (int i = 0; i < 10; ++i) deep += "<div>";
  deep += "x";
  for (int i = 0; i < 10; ++i) deep += "</div>";
  EXPECT_EQ(LimitNesting(deep, 3, &dropped), "<div><div><div>x</div></div></div>");
  EXPECT_EQ(dropped, 14u);
  // Siblings, implied ends and void elements do not count as depth.
  std::string flat;
  for (int i = 0; i < 10; ++i) flat += "<p>a<li>b<br><img>";
  EXPECT_EQ(LimitNesting(flat, 3, &dropped), flat);
  EXPECT_EQ(dropped, 0u);
  // A stray end tag of the parser's wrapper element is dropped; a matched one is kept.
  EXPECT_EQ(LimitNesting("a</dir>b", 3, &dropped), "ab");
  EXPECT_EQ(LimitNesting("<dir>a</dir>b", 3, &dropped), "<dir>a</dir>b");
  EXPECT_EQ(Plain("a</dir>b"), "ab");
  EXPECT_EQ(Plain("</x>x"), "x");  // gumbo would close the wrapper on an unknown end tag
}

TEST(DocumentTest, FrontMatterQuotingAndAnswers) {
  Document doc;
  doc.title = "a \"q\"\\\nb";
  doc.author = "";
  doc.date = Timestamp::FromMicros(1762553721125968);
  doc.lastmod = Timestamp::FromMicros(1762553721127093);
  doc.tags = {"蚂蚁", "a b", "-x", "c:d", "ok"};
  doc.answers = {{"知乎\n用户", "md"}};
  EXPECT_EQ(RenderDocument(doc),
            "---\nlayout: default\nLastmod: 2025-11-07T22:15:21.127093+00:00\n"
            "date: 2025-11-07T22:15:21.125968+00:00\ntitle: \"a \\\"q\\\"\\\\ b\"\n"
            "author: \"\"\ntags: [蚂蚁,\"a b\",\"-x\",\"c:d\",ok]\n---\n\n\n"
            "    \n### 知乎用户 知乎 用户 发表\n    \nmd\n    \n    \n    \n\n");
  doc.answers.clear();
  const std::string empty = RenderDocument(doc);
  EXPECT_TRUE(empty.ends_with("tags: [蚂蚁,\"a b\",\"-x\",\"c:d\",ok]\n---\n\n\n\n")) << empty;
}

}  // namespace
}  // namespace archivist::normalize
