#include "normalize/normalize.h"

#include "normalize/amplifiers.h"
#include "normalize/dom.h"
#include "normalize/fast_parse.h"
#include "normalize/html_input.h"
#include "normalize/turndown.h"
#include "normalize/zhihu_profile.h"

namespace archivist::normalize {

std::string HtmlToMarkdown(std::string_view html, const Options& options) {
  if (html.empty()) return "";
  std::string repaired;
  Dom dom = ParseAnswerHtml(RepairUtf8(html, &repaired) ? std::string_view(repaired) : html);
  FlattenAmplifiers(&dom, dom.root());
  TurndownOptions td;
  td.input_size = html.size();
  if (options.profile == Profile::kZhihu) {
    ZhihuCleanup(&dom, dom.root(), options.image_proxy);
    td.fenced_code_blocks = true;
    td.zhihu_rules = true;
  }
  return Turndown(&dom, dom.root(), td);
}

}  // namespace archivist::normalize
