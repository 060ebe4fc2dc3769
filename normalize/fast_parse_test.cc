// The fast path builds exactly gumbo's tree: on every input we have (fixture answers and
// their prefixes, differential fragments, profile and turndown cases, fuzz regressions) and
// on hand-written cases for each accepted construct, whenever FastParse accepts, its Dom is
// compared node by node with the gumbo path's; each bail-out rule has a case of its own.
#include "normalize/fast_parse.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "normalize/dom_diff.h"
#include "normalize/html_input.h"
#include "normalize/test_util.h"

namespace archivist::normalize {
namespace {

namespace fs = std::filesystem;
using testing::DataDir;
using testing::ReadFile;

// The gumbo path exactly as the pipeline runs it when FastParse bails out.
Dom GumboDom(const std::string& utf8) {
  size_t dropped = 0;
  return ParseTurndownRoot(LimitNesting(utf8, kMaxDepth, &dropped));
}

// Runs FastParse on `input` (sanitized as the pipeline does); if it accepts, expects the same
// tree as the gumbo path and no change by LimitNesting. Returns whether it accepted.
bool AcceptsSameTree(const std::string& input, const std::string& label) {
  const std::string utf8 = SanitizeUtf8(input);
  Dom fast;
  if (!FastParse(utf8, &fast)) return false;
  size_t dropped = 0;
  (void)LimitNesting(utf8, kMaxDepth, &dropped);
  EXPECT_EQ(dropped, 0u) << label;
  const std::string diff = FirstDomDifference(GumboDom(utf8), fast);
  EXPECT_EQ(diff, "") << label << "\ninput: " << input.substr(0, 300);
  return true;
}

std::vector<std::string> FixtureAnswers() {
  std::vector<fs::path> files;
  for (const char* set : {"zhihu/questions", "seed/questions"}) {
    for (const auto& e : fs::directory_iterator(DataDir() / set)) {
      files.push_back(e.path() / "answers.json");
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> out;
  for (const fs::path& f : files) {
    for (const auto& a : nlohmann::json::parse(ReadFile(f))) {
      out.push_back(a["content"].get<std::string>());
    }
  }
  return out;
}

TEST(FastParseTest, FixtureAnswersTakeTheFastPathWithGumbosTree) {
  const std::vector<std::string> answers = FixtureAnswers();
  ASSERT_EQ(answers.size(), 1655u);
  size_t accepted = 0;
  for (size_t i = 0; i < answers.size(); ++i) {
    accepted += AcceptsSameTree(answers[i], "fixture answer " + std::to_string(i));
  }
  std::printf("fast path: %zu of %zu fixture answers\n", accepted, answers.size());
  // Zhihu's markup is what the fast path is for: a drop here is a regression in speed.
  EXPECT_GE(accepted * 100, answers.size() * 99);
}

// Cut-off answers: open elements at the end, text and tags cut anywhere.
TEST(FastParseTest, FixtureAnswerPrefixes) {
  const std::vector<std::string> answers = FixtureAnswers();
  size_t accepted = 0, total = 0;
  for (size_t i = 0; i < answers.size(); i += 3) {
    const std::string& a = answers[i];
    for (size_t cut : {a.size() / 7, a.size() / 3, a.size() / 2, a.size() * 5 / 6}) {
      ++total;
      accepted += AcceptsSameTree(a.substr(0, cut), "answer " + std::to_string(i) + " cut at " +
                                                        std::to_string(cut));
    }
  }
  EXPECT_GT(accepted, total / 2);  // most cuts fall in text or between tags
}

TEST(FastParseTest, DifferentialFragments) {
  const auto cases = nlohmann::json::parse(ReadFile(DataDir() / "differential/cases.json"));
  ASSERT_EQ(cases.size(), 3000u);
  size_t accepted = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    accepted += AcceptsSameTree(cases[i]["input"].get<std::string>(),
                                "differential fragment " + std::to_string(i));
  }
  std::printf("fast path: %zu of %zu differential fragments\n", accepted, cases.size());
  EXPECT_GT(accepted, 0u);
}

// Every class of code point in every context (controls, noncharacters, references).
TEST(FastParseTest, CodePointCases) {
  const auto cases = nlohmann::json::parse(ReadFile(DataDir() / "differential/codepoints.json"));
  size_t accepted = 0;
  for (const auto& c : cases) {
    std::string input;
    if (c.contains("input")) {
      input = c["input"].get<std::string>();
    } else {  // bytes that are not UTF-8, as hex
      const std::string hex = c["input_hex"].get<std::string>();
      for (size_t k = 0; k + 1 < hex.size(); k += 2) {
        input.push_back(static_cast<char>(std::stoi(hex.substr(k, 2), nullptr, 16)));
      }
    }
    accepted += AcceptsSameTree(input, "code point case " + c["name"].get<std::string>());
  }
  std::printf("fast path: %zu of %zu code point cases\n", accepted, cases.size());
  EXPECT_GT(accepted, 0u);
}

TEST(FastParseTest, ProfileTurndownAndRegressionInputs) {
  std::vector<std::string> inputs;
  for (const auto& c : nlohmann::json::parse(ReadFile(DataDir() / "profile/cases.json"))) {
    inputs.push_back(c["input"].get<std::string>());
  }
  for (const auto& c : nlohmann::json::parse(ReadFile(DataDir() / "turndown/cases-7.2.2.json"))) {
    inputs.push_back(c["input"].get<std::string>());
  }
  for (const auto& c :
       nlohmann::json::parse(ReadFile(DataDir() / "turndown/worked-examples.json"))) {
    inputs.push_back(c["html"].get<std::string>());
  }
  for (const char* f : {"nested-headings-oom.html", "nested-quotes-amplification.html"}) {
    inputs.push_back(ReadFile(DataDir() / "fuzz-regressions" / f));
  }
  ASSERT_EQ(inputs.size(), 18u + 139u + 15u + 2u);
  size_t accepted = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    accepted += AcceptsSameTree(inputs[i], "case input " + std::to_string(i));
  }
  std::printf("fast path: %zu of %zu profile, turndown and regression inputs\n", accepted,
              inputs.size());
  EXPECT_GT(accepted, 0u);
}

// Each construct the fast path accepts, on its own.
TEST(FastParseTest, AcceptedConstructsBuildGumbosTree) {
  const std::vector<std::string> accepted = {
      "",
      "plain text",
      "<p>a</p><p>b</p>",
      "<P CLASS=\"x\">upper case</P>",
      "<p>a &amp; b &lt; c &gt; d &quot; e &apos; f&nbsp;g</p>",
      "<p>&#39;&#x27;&#X1F600;&#128512;&#0;&#xD800;&#x110000;&#x80;&#x9F;&#150;</p>",
      "<p>&#9;&#10;&#x20;&#xFFFD;</p>",
      "<p>AT & T, co &= &- x &</p>",
      "<p>a < b, 1 <2, <= x, <- y, < </p>",
      "<p>a<!-- comment -->b<!---->c<!-- a - b --></p>",
      "<p><b>bold <i>both</i></b> <strong>s</strong><em>e</em><u>u</u><s>s</s></p>",
      "<p><code>x</code><small>s</small><big>b</big><strike>k</strike><del>d</del></p>",
      "<p><sup>1</sup><sub>2</sub><mark>m</mark><span>s</span></p>",
      "<b><b><b><b><b>five deep</b></b></b></b></b> after",
      "<p><a href=\"https://x/?a=1&amp;b=2\" target=_blank rel='noopener'>link</a></p>",
      "<a href=x><b>in</b> link</a><a href=y>next</a>",
      "<p>line<br>break<br/>again<br /></p><hr><hr/><p>x<wbr>y</p>",
      "<figure><noscript><img src=\"a.jpg\"></noscript><img src=\"b.jpg\" data-rawwidth=\"3\">"
      "<figcaption>cap</figcaption></figure>",
      "<img src=\"a\" alt=\"\" width=\"1\" WIDTH=\"2\" data-x='y' hidden>",
      "<img src = \"spaced\" class\n=\n'newlines' >",
      "<h1>1</h1><h2>2</h2><h3>3 <b>b</b></h3><h4>4</h4><h5>5</h5><h6>6</h6>",
      "<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul><ol><li><p>p</p></li></ol>",
      "<ul>\n  <li>white space between items</li>\n</ul>",
      "<blockquote><p>q</p><blockquote>nested</blockquote></blockquote>",
      "<div><div>d</div><section>s</section><article>a</article><header>h</header>"
      "<footer>f</footer><nav>n</nav><aside>a</aside><main>m</main></div>",
      "<pre>\ncode\n  indented</pre><pre>no newline</pre><pre>\n\ntwo</pre>",
      "<pre><code class=\"language-cpp\">int x = 1 &lt; 2;\n</code></pre>",
      "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody>"
      "<tfoot><tr><td>f</td></tr></tfoot></table>",
      "<table>\n <caption>c</caption>\n <tbody>\n  <tr>\n   <td><p>cell</p></td>\n  </tr>\n"
      " </tbody>\n</table>",
      "<table><tbody><tr><td><table><tbody><tr><td>inner</td></tr></tbody></table></td></tr>"
      "</tbody></table>",
      "<table><!-- c --><tbody><!-- d --><tr><!-- e --><td>x</td></tr></tbody></table>",
      "<p>unclosed <b>at the end",
      "<ul><li>open list",
      "<table><tbody><tr><td>open table",
      "<p>text</p >",
      "<p><figure><img src=\"a\"></figure></p><p>next</p>",
      "<p>a<figure>f</figure>b</p>", "<p>a<hr>b</p>", "<p>a<h2>h</h2></p>",
      "<p>a<pre>\ncode</pre></p>", "<p>a<div>d</div></p>", "<p>a<ul><li>x</li></ul></p>",
      "<p>a<blockquote>q</blockquote>", "</p>", "<b>x</p>y</b>", "<p>a</p></p>", "<p>a<p>b",
      "<table><tbody><tr><td></p></td></tr></tbody></table>",
      "<table><tbody><tr><td>a<</td></tr></tbody></table>",
      "中文 <p>混合 &nbsp;文本</p>",
      "<span data-a=\"&lt;b&gt;\" data-b='&#34;' data-c=a&amp;b>attr refs</span>",
      "a\x01" "b\x0b\x1f\x7F", "<p>a\xC2\x80\xC2\x85\xC2\x9F" "b</p>",
      "a\xEF\xB7\x90\xEF\xBF\xBE\xEF\xBF\xBF\xF0\x9F\xBF\xBF\xF4\x8F\xBF\xBF" "b",
      "<img alt=\"\x01\xC2\x81\" title='\x7F' data-x=\xC2\x9D>", "<p>a<!--\x01\xC2\x85-->b</p>",
      "<pre>\x0b\x01</pre>", "<p>&\x01 &#65;\xC2\x85</p>", "<p>\xF4\x8F\xBF\xBD\xF3\xB0\x82\x81</p>",
  };
  for (const std::string& input : accepted) {
    EXPECT_TRUE(AcceptsSameTree(input, "accepted case")) << "bailed out on: " << input;
  }
}

// Each bail-out rule, with an input that needs it.
TEST(FastParseTest, BailsOutOnEverythingElse) {
  const std::vector<std::string> rejected = {
      std::string("a\0b", 3), "a\rb", "a\r\nb", "a\fb", "<p title=\"\r\">x</p>",
      "<p\x01>x</p>", "<p a\x01=1>x</p>", "<p>x</p\x0b>", "<table>\x0b</table>",
      "&copy;", "&amp", "&ampx;", "&#;", "&#x;", "&#65", "&#1;", "&#13;", "&#x81;", "&#xFFFF;",
      "&#99999999999;", "<!DOCTYPE html>", "<![CDATA[x]]>", "<?xml?>", "<!x>", "<!-->",
      "<!--->", "<!-- a --!>", "<!-- a -- b -->", "<!-- a --->", "<!-- unclosed", "<",
      "text <", "</>", "</ p>", "</3>", "<p/>", "<div/>", "<custom-tag>x</custom-tag>",
      "<font>x</font>", "<nobr>x</nobr>", "<tt>x</tt>", "<script>x</script>",
      "<style>x</style>", "<textarea>x</textarea>", "<title>x</title>", "<iframe>x</iframe>",
      "<noembed>x</noembed>", "<noframes>x</noframes>", "<xmp>x</xmp>", "<plaintext>x",
      "<select><option>x</select>", "<input>", "<form>x</form>", "<button>x</button>",
      "<svg><p>x</p></svg>", "<math>x</math>", "<template>x</template>", "<html>", "<head>",
      "<body>", "<frameset>", "<dir>x</dir>", "</dir>", "<image src=x>", "<dl><dt>x</dl>",
      "<p><span><div>x</div></span></p>", "<p><span><ul><li>x</li></ul></span></p>",
      "<p><table></table></p>", "<p><b><hr></b></p>", "<p><li>x</li></p>",
      "<ul><li><p>a<li>b</ul>", "<p><span></p></span>", "<table></p></table>",
      "<table><tbody></p></tbody></table>",
      "<h2><h3>x</h3></h2>", "<h2><span><h3>x</h3></span></h2>", "<li>x</li>",
      "<ul><li>a<li>b</ul>", "<ul><li><span><li>x</li></span></li></ul>",
      "<a href=1><a href=2>x</a></a>", "<a><span><a>x</a></span></a>", "<b><i>x</b></i>",
      "<p>x</div>", "<span>x</span></span>", "</br>", "<br></br>",
      "<p>a</p></x-turndown>", "<table><tr><td>x</td></tr></table>", "<table>text</table>",
      "<table><tbody>&nbsp;</tbody></table>", "<table><tbody><tr>x</tr></tbody></table>",
      "<table><p>x</p></table>", "<table><td>x</td></table>", "<table><table>",
      "<table><tbody><td>x</td></tbody></table>", "<td>x</td>", "<tr>x</tr>",
      "<caption>x</caption>", "<table><caption><td>x</td></caption></table>",
      "<table><tbody><tr><td><tr>", "<table><tbody><tr><td>x</table>",
      "<table><colgroup><col></colgroup></table>",
      "<pre>&#10;x</pre>", "<p class=\"a\"id=\"b\">x</p>", "<p class=a\"b>x</p>",
      "<p class=a<b>x</p>", "<p class=a'b>x</p>", "<p class=a=b>x</p>", "<p class=`a`>x</p>",
      "<p class=a/b>x</p>", "<p class=>x</p>", "<p class=\"unclosed>x</p>", "<p / class=a>x</p>",
      "<p \"x\">x</p>", "<p <a>x</p>", "<p class=\"&copy;\">x</p>", "<p\x0cclass=a>x</p>",
      "<blockquotes>x</blockquotes>", "<p>x</p class=a>", "<p>x</p/>",
  };
  for (const std::string& input : rejected) {
    Dom dom;
    EXPECT_FALSE(FastParse(SanitizeUtf8(input), &dom)) << "accepted: " << input;
  }
}

TEST(FastParseTest, BailsOutBeyondTheDepthBound) {
  std::string ok, deep;
  for (size_t i = 0; i + 1 < kMaxDepth; ++i) ok += "<span>";
  deep = ok + "<span>";
  EXPECT_TRUE(AcceptsSameTree(ok + "x", "255 nested spans"));
  Dom dom;
  EXPECT_FALSE(FastParse(deep + "x", &dom));
}

TEST(FastParseTest, DomDifferenceNamesTheFirstDifference) {
  Dom a, b;
  ASSERT_TRUE(FastParse("<p>x<b>y</b></p>", &a));
  ASSERT_TRUE(FastParse("<p>x<i>y</i></p>", &b));
  EXPECT_EQ(FirstDomDifference(a, a), "");
  EXPECT_NE(FirstDomDifference(a, b).find("root/0/1"), std::string::npos)
      << FirstDomDifference(a, b);
  ASSERT_TRUE(FastParse("<p title=\"1\">x</p>", &b));
  EXPECT_NE(FirstDomDifference(a, b), "");
}

}  // namespace
}  // namespace archivist::normalize
