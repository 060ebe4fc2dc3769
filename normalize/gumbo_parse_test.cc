// Parsing in segments builds the tree of one parse of the whole (gumbo_parse.cc): on every
// input we have, cut at every '<' where the probe allows it (segments of one byte) and at a
// few other lengths, the trees are compared node by node.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

#include "normalize/dom.h"
#include "normalize/dom_diff.h"
#include "normalize/html_input.h"
#include "normalize/normalize.h"
#include "normalize/test_util.h"

namespace archivist::normalize {
namespace {

namespace fs = std::filesystem;
using testing::DataDir;
using testing::ReadFile;

constexpr size_t kWhole = std::numeric_limits<size_t>::max() / 4;

// Expects the same tree from every segment length; returns how many segments the input was
// cut into with the shortest.
size_t ExpectSameTreeInSegments(const std::string& input, const std::string& label) {
  size_t dropped = 0;
  const std::string html = LimitNesting(SanitizeUtf8(input), kMaxDepth, &dropped);
  const Dom whole = ParseTurndownRoot(html, kWhole);
  size_t cut = 0;
  for (size_t segment : {size_t{1}, size_t{13}, size_t{200}}) {
    if (segment >= html.size()) continue;
    size_t segments = 0;
    const Dom parts = ParseTurndownRoot(html, segment, &segments);
    cut = std::max(cut, segments);
    const std::string diff = FirstDomDifference(whole, parts);
    EXPECT_EQ(diff, "") << label << ", segments of " << segment << " bytes\ninput: "
                        << input.substr(0, 300);
    if (!diff.empty()) break;
  }
  return cut;
}

TEST(GumboParseTest, DifferentialAndCodePointInputsInSegments) {
  int inputs = 0, cut = 0;
  size_t segments = 0;
  for (const char* file : {"differential/cases.json", "differential/codepoints.json"}) {
    for (const auto& c : nlohmann::json::parse(ReadFile(DataDir() / file))) {
      if (!c.contains("input")) continue;
      const size_t n = ExpectSameTreeInSegments(
          c["input"].get<std::string>(), std::string(file) + " " + c.value("name", std::to_string(inputs)));
      ++inputs;
      cut += n > 1;
      segments += n;
    }
  }
  std::printf("segments: %d of %d inputs cut, %zu segments\n", cut, inputs, segments);
  EXPECT_GT(inputs, 4000);
  EXPECT_GT(cut, inputs / 4);
}

TEST(GumboParseTest, FixtureAndCaseInputsInSegments) {
  std::vector<std::string> inputs;
  for (const char* set : {"zhihu/questions", "seed/questions"}) {
    for (const auto& e : fs::directory_iterator(DataDir() / set)) {
      for (const auto& a : nlohmann::json::parse(ReadFile(e.path() / "answers.json"))) {
        inputs.push_back(a["content"].get<std::string>());
      }
    }
  }
  for (const auto& c : nlohmann::json::parse(ReadFile(DataDir() / "profile/cases.json"))) {
    inputs.push_back(c["input"].get<std::string>());
  }
  for (const auto& c : nlohmann::json::parse(ReadFile(DataDir() / "turndown/cases-7.2.2.json"))) {
    inputs.push_back(c["input"].get<std::string>());
  }
  ASSERT_GT(inputs.size(), 1800u);
  size_t cut = 0, segments = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const size_t n = ExpectSameTreeInSegments(inputs[i], "input " + std::to_string(i));
    cut += n > 1;
    segments += n;
  }
  std::printf("segments: %zu of %zu inputs cut, %zu segments\n", cut, inputs.size(), segments);
  EXPECT_GT(cut, inputs.size() / 3);
}

// What the probe must see through: states where a cut would change the tree.
TEST(GumboParseTest, StatesThatForbidACut) {
  const std::vector<std::string> inputs = {
      "<b>open at the start<p>a</p><p>b</p>",           // an element left open
      "<p><b>x</p><p>y</p><p>z</p>",                    // a formatting element to reconstruct
      "<div><form></div><p>a</p><form><p>b</p></form>",  // the form element pointer left set
      "<p>a</p></body><!--c--><p>b</p><!--d-->",         // after </body>: comments elsewhere
      "<p>a</p></html><!--c--><p>b</p>",
      "<p>a<!-- open comment <p>b</p> -->c</p>",
      "<p>a<textarea><p>b</p></textarea><p>c</p>",
      "<p>a<script><p>b</p></script><p>c</p>", "<p>a<style><p>b</p></style>",
      "<p>a<xmp><p>b</p></xmp>", "<p>a<plaintext><p>b</p>",
      "<table><tr><td>a<p>b</p></td></tr>text<p>c</p></table><p>d</p>",
      "<select><option>a<p>b</p></select><p>c</p>",
      "<template><p>a</p></template><p>b</p><template><p>c</p>",
      "<svg><p>a</p><desc><p>b</p></desc></svg><p>c</p>",
      "<math><mi><p>a</p></mi></math><p>b</p><![CDATA[x]]><p>c</p>",
      "<p id=\"a<b\" title='<p>'>x</p><p>y</p>", "<p>a&amp<p>b&lt;c</p>",
      "<pre>\n<p>a</p></pre><pre><b>x</b></pre>",
      "<p>a</p><frameset><p>b</p>", "<img><frameset><p>b</p>", "<!----><frameset>",
      "<p>a</p><body class=x><p>b</p><html lang=y><p>c</p>",
      "<a href=1>a<p>b</a>c</p><p>d</p>", "<nobr>a<nobr>b<p>c</p>",
      "<p>a</x><p>b</p></y>c", "a</p>b</dir>c<dir>d</dir>e",
      "<p>a\r\n<p>b\r<p>c\f<p>d", std::string("<p>a\0<p>b", 9),
      "<p>\xC2\x85<font>x</font><p>\xEF\xBF\xBE</p><p>&#xFFFFFFFF;</p><script>&#xFFFFFFFF;</script>",
  };
  for (const std::string& input : inputs) {
    ExpectSameTreeInSegments(input, "hand-written");
    ExpectSameTreeInSegments(input + input + input, "hand-written, three times");
  }
}

// A long answer through gumbo is cut into many segments, with the tree of one parse.
TEST(GumboParseTest, LongInputIsCutWithTheSameTree) {
  std::string html = "<p><font>gumbo</font></p>";
  while (html.size() < 3 * kGumboSegmentBytes) {
    html += "<p>知乎<b>加粗</b><a href=\"/q\">链接</a><img src=\"//p/x.jpg\"></p><ul><li>一</li></ul>";
  }
  const Dom whole = ParseTurndownRoot(html, kWhole);
  size_t segments = 0;
  const Dom parts = ParseTurndownRoot(html, kGumboSegmentBytes, &segments);
  EXPECT_EQ(FirstDomDifference(whole, parts), "");
  EXPECT_GE(segments, 3u);
}

}  // namespace
}  // namespace archivist::normalize
