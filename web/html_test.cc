#include "web/html.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "web/markdown.h"
#include "web/side_by_side.h"

namespace archivist::web {

// The tags of `html` (what is between a '<' and the next '>'): text never holds a raw '<'.
std::vector<std::string> Tags(const std::string& html) {
  std::vector<std::string> tags;
  for (size_t p = html.find('<'); p != std::string::npos; p = html.find('<', p + 1)) {
    tags.push_back(html.substr(p, html.find('>', p) - p + 1));
  }
  return tags;
}

// No script element, no event handler attribute, no javascript: URL in any tag.
void ExpectInertMarkup(const std::string& html) {
  for (const std::string& tag : Tags(html)) {
    std::string lower;
    for (char c : tag) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_FALSE(lower.starts_with("<script")) << tag;
    EXPECT_FALSE(lower.starts_with("<svg")) << tag;
    EXPECT_FALSE(lower.starts_with("<iframe")) << tag;
    EXPECT_EQ(lower.find(" on"), std::string::npos) << tag;
    EXPECT_EQ(lower.find("javascript:"), std::string::npos) << tag;
    EXPECT_EQ(lower.find("vbscript:"), std::string::npos) << tag;
    EXPECT_EQ(lower.find("data:text"), std::string::npos) << tag;
  }
}

namespace {

TEST(EscapeTest, MarkupQuotesAndBadBytesAreNeutralized) {
  EXPECT_EQ(Escape("<a href=\"x\" title='y'>&</a>"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(Escape("中文\n"), "中文\n");
  EXPECT_EQ(Escape("a\xff" "b\x01" "c"), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
  EXPECT_EQ(Escape("\xE4\xB8"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated sequence
}

TEST(LangTest, HanTextIsChinese) {
  EXPECT_EQ(LangOf("hello 世界"), "zh");
  EXPECT_EQ(LangOf("hello world"), "en");
}

TEST(PageTest, FrameHasViewportLangAndEscapedTitle) {
  const std::string page = PageStart("<t>", "zh") + PageEnd();
  EXPECT_NE(page.find("<html lang=\"zh\">"), std::string::npos);
  EXPECT_NE(page.find("name=\"viewport\""), std::string::npos);
  EXPECT_NE(page.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(page.find("<title>&lt;t&gt;"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
}

TEST(SecurityHeadersTest, PolicyForbidsScript) {
  bool found = false;
  for (const auto& [name, value] : SecurityHeaders()) {
    if (name != "Content-Security-Policy") continue;
    found = true;
    EXPECT_NE(value.find("default-src 'none'"), std::string::npos);
    EXPECT_EQ(value.find("script-src"), std::string::npos);  // so default-src 'none' applies
    EXPECT_EQ(value.find("unsafe-eval"), std::string::npos);
  }
  EXPECT_TRUE(found);
}

TEST(MarkdownTest, RendersCommonMarkAndTables) {
  EXPECT_EQ(MarkdownToHtml("**粗体** and *em*"), "<p><strong>粗体</strong> and <em>em</em></p>\n");
  EXPECT_NE(MarkdownToHtml("|a|b|\n|-|-|\n|1|2|\n").find("<table>"), std::string::npos);
}

TEST(MarkdownTest, RawHtmlAndScriptUrlsNeverPassThrough) {
  for (const char* hostile :
       {"<script>alert(1)</script>", "x <img src=x onerror=alert(1)> y", "<svg onload=alert(1)>",
        "<a href=\"javascript:alert(1)\">a</a>", "<iframe src=\"https://e.example\"></iframe>",
        "<div onmouseover=\"alert(1)\">d</div>"}) {
    const std::string html = MarkdownToHtml(hostile);
    ExpectInertMarkup(html);
    EXPECT_EQ(html.find("<img"), std::string::npos) << hostile;
    EXPECT_EQ(html.find("<div"), std::string::npos) << hostile;
    EXPECT_EQ(html.find("<a "), std::string::npos) << hostile;
  }
  // What the answer said is shown as text.
  EXPECT_EQ(MarkdownToHtml("x <img src=x onerror=alert(1)> y"),
            "<p>x &lt;img src=x onerror=alert(1)&gt; y</p>\n");
  EXPECT_EQ(MarkdownToHtml("<b>window.\\_\\_x</b>"), "<p>&lt;b&gt;window.__x&lt;/b&gt;</p>\n");
  EXPECT_EQ(MarkdownToHtml("<script>alert(1)</script>\n\nnext"),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>next</p>\n");
  for (const char* link : {"[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))",
                           "[x](vbscript:msgbox)", "![i](javascript:alert(1))",
                           "[x](data:text/html;base64,PHNjcmlwdD4=)"}) {
    const std::string html = MarkdownToHtml(link);
    ExpectInertMarkup(html);
    EXPECT_TRUE(html.find("href=\"\"") != std::string::npos ||
                html.find("src=\"\"") != std::string::npos) << link << " → " << html;
  }
  EXPECT_NE(MarkdownToHtml("![i](https://pic.example/a.jpg)").find("src=\"https://pic.example/a.jpg\""),
            std::string::npos);
}

TEST(SideBySideTest, MarksTheChangedCharacterOnly) {
  const Columns c = SideBySide("第一版 <b>\n不变\n", "第二版 <b>\n不变\n", {});
  EXPECT_EQ(c.left, "第<del>一</del>版 &lt;b&gt;\n不变\n");
  EXPECT_EQ(c.right, "第<ins>二</ins>版 &lt;b&gt;\n不变\n");
}

TEST(SideBySideTest, WholeLinesAddedAndRemoved) {
  const Columns c = SideBySide("a\nb\n", "a\nc d\ne\n", {});
  EXPECT_EQ(c.left, "a\n<del>b</del>\n");
  EXPECT_EQ(c.right, "a\n<ins>c d\ne</ins>\n");
}

}  // namespace
}  // namespace archivist::web
