// Hostile input never crashes, hangs or blows up: each finishes in time and memory linear
// in its size. Each big case runs in a forked child so that its own CPU time and
// peak RSS can be read with wait4(); the bounds are deliberately generous — the measured
// figures are printed for the record and belong in benchmarks, not here.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <functional>

#include "normalize/normalize.h"
#include "normalize/test_util.h"

namespace archivist::normalize {
namespace {

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out.append(s);
  return out;
}

bool IsValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kUnderSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
constexpr bool kUnderSanitizer = true;
#else
constexpr bool kUnderSanitizer = false;
#endif
#else
constexpr bool kUnderSanitizer = false;
#endif

struct Usage {
  double cpu_seconds = 0;
  double max_rss_mb = 0;
  int exit_code = -1;
};

// Runs `work` in a child process; the child exits 0 when `work` returns true.
Usage RunInChild(const std::function<bool()>& work) {
  Usage u;
  const pid_t pid = fork();
  if (pid == 0) _exit(work() ? 0 : 1);
  int status = 0;
  struct rusage ru {};
  if (wait4(pid, &status, 0, &ru) != pid) return u;
  u.cpu_seconds = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
                  (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  u.max_rss_mb = ru.ru_maxrss / 1024.0;
  u.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return u;
}

// Converts `html` with both profiles and the visible text in a child and checks the limits.
void ExpectBounded(const std::string& name, const std::string& html, const std::string& must_contain) {
  Usage u = RunInChild([&] {
    Options plain;
    plain.profile = Profile::kPlain;
    const std::string a = HtmlToMarkdown(html, plain);
    const std::string b = HtmlToMarkdown(html, Options{});
    const std::string c = VisibleText(html);
    return IsValidUtf8(a) && IsValidUtf8(b) && IsValidUtf8(c) &&
           a.find(must_contain) != std::string::npos && b.find(must_contain) != std::string::npos;
  });
  std::printf("[ hostile  ] %-26s %8.2f MB in  %6.2f s CPU  %7.1f MB peak RSS\n", name.c_str(),
              html.size() / 1e6, u.cpu_seconds, u.max_rss_mb);
  EXPECT_EQ(u.exit_code, 0) << name << ": crashed, or the output lacked \"" << must_contain
                            << "\" or was not UTF-8";
  if (kUnderSanitizer) return;  // shadow memory and quarantine: the bounds below do not apply
  EXPECT_LT(u.cpu_seconds, 20.0) << name;
  // Linear memory: under 200 bytes per input byte (markup as dense as "a<br>" makes two
  // nodes of five bytes, in gumbo's tree and in ours), plus the process's own baseline.
  EXPECT_LT(u.max_rss_mb, 64 + 200.0 * html.size() / 1e6) << name;
}

TEST(HostileInputTest, DeepNesting) {
  const size_t n = 100000;
  ExpectBounded("100k nested div", Repeat("<div>", n) + "x" + Repeat("</div>", n), "x");
  ExpectBounded("100k nested b", Repeat("<b>", n) + "x" + Repeat("</b>", n), "x");
  ExpectBounded("100k nested span unclosed", Repeat("<span>", n) + "x", "x");
  ExpectBounded("100k nested blockquote", Repeat("<blockquote>", n) + "x", "x");
  ExpectBounded("50k nested ul/li", Repeat("<ul><li>", n / 2) + "x", "x");
  ExpectBounded("30k nested tables", Repeat("<table><tr><td>", 30000) + "x", "x");
  ExpectBounded("30k nested implied tables", Repeat("<table><td>", 30000) + "x", "x");
  ExpectBounded("100k nested svg g", "<svg>" + Repeat("<g>", n) + "x", "x");
  ExpectBounded("100k nested custom", Repeat("<x-a>", n) + "x" + Repeat("</x-a>", n), "x");
  ExpectBounded("20k nested mixed", Repeat("<div><span><b><i><em>", 20000) + "x", "x");
  ExpectBounded("100k nested links", Repeat("<a href=u>", n) + "x", "x");
  ExpectBounded("50k nested dl/dt", Repeat("<dl><dt>", n / 2) + "x", "x");
  // Each level of quotes or lists prefixes every line below it: 200k lines under deep
  // nesting would multiply the output by the depth.
  ExpectBounded("deep quotes over 200k lines", Repeat("<blockquote>", 300) + Repeat("a<br>", 200000), "> > a");
  // A setext heading underlines its content: nested headings would double the output per level.
  ExpectBounded("100 nested h1/b", Repeat("<h1><b>", 100) + "x", "x");
  ExpectBounded("deep lists over 200k lines", Repeat("<ul><li>", 300) + Repeat("a<br>", 200000), "*   a");
}

TEST(HostileInputTest, ManySiblings) {
  ExpectBounded("100k sibling lists", Repeat("<ul><li>a</li></ul>", 100000), "*   a");
  ExpectBounded("100k items in one ol", "<ol>" + Repeat("<li>a</li>", 100000) + "</ol>",
                "100000.  a");
  ExpectBounded("100k paragraphs", Repeat("<p>p_q</p>", 100000), "p\\_q");
}

TEST(HostileInputTest, LongTextWithoutSpaces) {
  ExpectBounded("1 MB of letters", std::string(1000000, 'a'), "aaaa");
  ExpectBounded("1 MB of underscores", std::string(1000000, '_'), "\\_\\_");
  ExpectBounded("1 MB of NBSP in bold", "<b>" + Repeat("\u00a0", 500000) + "x</b>", "**x**");
  ExpectBounded("1 MB in one code span", "<code>" + std::string(1000000, '`') + "</code>", "``");
}

TEST(HostileInputTest, TwentyMegabyteAnswer) {
  const std::string paragraph =
      "<p>知乎用户的回答，<b>加粗</b>和<a href=\"/question/1\">链接</a>，"
      "<img src=\"//pic1.zhimg.com/v2-x.jpg\"> 还有 <code>code_x</code>。</p>"
      "<ul><li>一</li><li>二</li></ul><blockquote>引用</blockquote>";
  ExpectBounded("20 MB answer", Repeat(paragraph, 20'000'000 / paragraph.size() + 1), "**加粗**");
}

TEST(HostileInputTest, FuzzerFindings) {
  const std::string html =
      testing::ReadFile(testing::DataDir() / "fuzz-regressions/nested-quotes-amplification.html");
  ASSERT_GT(html.size(), 30000u);
  ExpectBounded("fuzz: nested quotes", html, "> ");
  Options plain;
  plain.profile = Profile::kPlain;
  // Nested quotes, lists and headings multiply the Markdown; the bounds keep it a constant
  // factor of the input (this input: 54x).
  EXPECT_LT(HtmlToMarkdown(html, plain).size(), 64 * html.size());
  const std::string headings =
      testing::ReadFile(testing::DataDir() / "fuzz-regressions/nested-headings-oom.html");
  ExpectBounded("fuzz: nested headings", headings, "");
  EXPECT_LT(HtmlToMarkdown(headings, plain).size(), 16 * headings.size());
  EXPECT_LT(HtmlToMarkdown("<dt><h2><e><h2><b><h2><t><h2><dt><h2><r><h2><l><h2><dt><h2><t><h2>"
                           "<t><h2><style>l", plain).size(), 2000u);
  // Four levels of setext headings at most: 2^4 copies of the content, not 2^100.
  EXPECT_LT(HtmlToMarkdown(Repeat("<h1><b>", 100) + "x", plain).size(), 20000u);
}

TEST(HostileInputTest, InvalidUtf8IsDecodedAsTheReferenceDoes) {
  // Expected outputs from the reference normalizer (Node.js decodes with WHATWG's decoder).
  const Options plain{Profile::kPlain, ""};
  EXPECT_EQ(HtmlToMarkdown("\xff<p>a\xc3</p>b\xe2\x82", plain), "\uFFFD\n\na\uFFFD\n\nb\uFFFD");
  EXPECT_EQ(HtmlToMarkdown("\xed\xa0\x80<b>\xf0\x9f\x98</b>\xc0\xaf", plain),
            "\uFFFD\uFFFD\uFFFD**\uFFFD**\uFFFD\uFFFD");
}

TEST(HostileInputTest, NulBytesAreHandledAsTheReferenceDoes) {
  const Options plain{Profile::kPlain, ""};
  using namespace std::string_literals;
  EXPECT_EQ(HtmlToMarkdown("a\0b<p>c\0</p><img alt=\"x\0y\" src=\"s\0\">"s, plain),
            "ab\n\nc\n\n![x\uFFFDy](s\uFFFD)");
  EXPECT_EQ(HtmlToMarkdown("<pre>\0x</pre><script>\0</script><!--\0-->"s, plain), "x\n\n\uFFFD");
}

TEST(HostileInputTest, RandomBytesNeverBreakTheOutput) {
  uint64_t state = 0x9E3779B97F4A7C15u;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const std::string alphabet = "<>/=\"' abpdivtlr&;#x\xff\xc3\xa9\xe4\xb8\x80\n\t\0!-";
  for (int round = 0; round < 2000; ++round) {
    std::string s(next() % 300, ' ');
    for (char& c : s) c = alphabet[next() % alphabet.size()];
    const std::string md = HtmlToMarkdown(s);
    ASSERT_TRUE(IsValidUtf8(md)) << "round " << round;
    ASSERT_TRUE(IsValidUtf8(VisibleText(s))) << "round " << round;
  }
}

}  // namespace
}  // namespace archivist::normalize
