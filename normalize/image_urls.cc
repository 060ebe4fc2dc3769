// The images an answer shows: the same tree the converter writes Markdown from (repaired,
// amplifiers flattened, the Zhihu clean-up Z1–Z7 with no proxy), so the list is exactly the
// images whose links the Markdown holds — Z5 picked each one's best source (data-original,
// else data-actualsrc, else src, never a data: placeholder), Z2 dropped video thumbnails,
// Z4 kept one picture per figure. Formula images (eeimg="1") are text, not pictures.
#include <unordered_set>

#include "normalize/amplifiers.h"
#include "normalize/dom.h"
#include "normalize/fast_parse.h"
#include "normalize/html_input.h"
#include "normalize/normalize.h"
#include "normalize/url.h"
#include "normalize/zhihu_profile.h"

namespace archivist::normalize {

std::vector<std::string> ImageUrls(std::string_view html) {
  std::vector<std::string> out;
  if (html.empty()) return out;
  std::string repaired;
  Dom dom = ParseAnswerHtml(RepairUtf8(html, &repaired) ? std::string_view(repaired) : html);
  FlattenAmplifiers(&dom, dom.root());
  ZhihuCleanup(&dom, dom.root(), "");
  std::unordered_set<std::string> seen;
  for (NodeId img : dom.ElementsByTag(dom.root(), Tag::kImg)) {
    if (IsMathImage(dom, img)) continue;
    const auto src = dom.Attr(img, "src");
    if (!src || src->empty()) continue;
    std::string url(*src);
    if (seen.insert(url).second) out.push_back(std::move(url));
  }
  return out;
}

std::string ImageLink(std::string_view url, std::string_view image_proxy) {
  if (image_proxy.empty()) return std::string(url);
  return std::string(image_proxy) + PyQuote(url);
}

std::vector<std::string> ImageLinkForms(std::string_view image_proxy) {
  std::vector<std::string> out = {std::string(image_proxy)};
  for (std::string p : {std::string(kDefaultImageProxy), std::string()}) {
    if (p != image_proxy) out.push_back(std::move(p));
  }
  return out;
}

}  // namespace archivist::normalize
