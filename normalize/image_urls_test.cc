// ImageUrls: the images an answer shows, checked on hand-made cases and on every fixture
// answer of tests/data (real Zhihu HTML with zhimg pictures in figures, noscript copies and
// lazy-loading placeholders).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "normalize/normalize.h"
#include "normalize/test_util.h"

namespace archivist::normalize {
namespace {

namespace fs = std::filesystem;
using testing::DataDir;
using testing::ReadFile;

TEST(ImageUrlsTest, BestSourceFirstAndNoPlaceholders) {
  EXPECT_EQ(ImageUrls("<img src=\"https://pic1.zhimg.com/a_720w.jpg\" "
                      "data-actualsrc=\"https://pic1.zhimg.com/a_b.jpg\" "
                      "data-original=\"https://pic1.zhimg.com/a_r.jpg\">"),
            std::vector<std::string>{"https://pic1.zhimg.com/a_r.jpg"});
  EXPECT_EQ(ImageUrls("<img src=\"data:image/svg+xml;utf8,x\" "
                      "data-actualsrc=\"https://pic2.zhimg.com/b.jpg\">"),
            std::vector<std::string>{"https://pic2.zhimg.com/b.jpg"});
  EXPECT_TRUE(ImageUrls("<img src=\"data:image/png;base64,AAAA\">").empty());
  EXPECT_TRUE(ImageUrls("").empty());
  EXPECT_TRUE(ImageUrls("<p>no pictures</p>").empty());
}

TEST(ImageUrlsTest, OnePerFigureNoFormulasNoRepeats) {
  const std::string html =
      "<figure><noscript><img src=\"https://pic1.zhimg.com/f_720w.jpg\" "
      "data-original=\"https://pic1.zhimg.com/f_r.jpg\"></noscript>"
      "<img src=\"data:image/svg+xml;utf8,x\" data-original=\"https://pic1.zhimg.com/f_r.jpg\" "
      "data-actualsrc=\"https://pic1.zhimg.com/f_720w.jpg\"></figure>"
      "<img eeimg=\"1\" src=\"https://www.zhihu.com/equation?tex=x\" alt=\"x\">"
      "<p><img src=\"//pic3.zhimg.com/g.png\"><img src=\"https://pic1.zhimg.com/f_r.jpg\"></p>";
  EXPECT_EQ(ImageUrls(html), (std::vector<std::string>{"https://pic1.zhimg.com/f_r.jpg",
                                                        "https://pic3.zhimg.com/g.png"}));
}

// Every fixture answer: each image found is https on zhimg.com, and its link (through the
// default proxy) is in the Markdown the converter writes — the list is what a reader sees.
TEST(ImageUrlsTest, FixtureImagesAreTheMarkdownImages) {
  int images = 0;
  for (const auto& e : fs::directory_iterator(DataDir() / "zhihu/questions")) {
    const auto list = nlohmann::json::parse(ReadFile(e.path() / "answers.json"));
    for (const auto& a : list) {
      const std::string html = a["content"].get<std::string>();
      const std::string md = HtmlToMarkdown(html);
      const std::vector<std::string> urls = ImageUrls(html);
      for (const std::string& url : urls) {
        ++images;
        EXPECT_EQ(url.rfind("https://", 0), 0u) << url;
        EXPECT_NE(url.find(".zhimg.com/"), std::string::npos) << url;
        EXPECT_NE(md.find("](" + ImageLink(url, kDefaultImageProxy)), std::string::npos)
            << url << " in " << e.path();
      }
    }
  }
  EXPECT_GT(images, 100);
}

}  // namespace
}  // namespace archivist::normalize
