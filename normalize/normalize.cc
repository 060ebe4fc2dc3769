#include "normalize/normalize.h"

#include "normalize/amplifiers.h"
#include "normalize/dom.h"
#include "normalize/html_input.h"
#include "normalize/turndown.h"
#include "normalize/zhihu_profile.h"

namespace archivist::normalize {

std::string HtmlToMarkdown(std::string_view html, const Options& options) {
  if (html.empty()) return "";
  size_t dropped = 0;
  Dom dom = ParseTurndownRoot(LimitNesting(SanitizeUtf8(html), kMaxDepth, &dropped));
  FlattenAmplifiers(&dom, dom.root());
  TurndownOptions td;
  if (options.profile == Profile::kZhihu) {
    ZhihuCleanup(&dom, dom.root(), options.image_proxy);
    td.fenced_code_blocks = true;
    td.zhihu_rules = true;
  }
  return Turndown(&dom, dom.root(), td);
}

}  // namespace archivist::normalize
