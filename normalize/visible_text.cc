// The visible text of an answer (docs/format.md §4): text nodes in document order, "\n" before and
// after every block element and <br>; <script> and <style> add nothing. Iterative pre-order
// walk with an explicit exit step, since the input controls the depth.
#include <vector>

#include "normalize/dom.h"
#include "normalize/fast_parse.h"
#include "normalize/html_input.h"
#include "normalize/normalize.h"
#include "normalize/zhihu_profile.h"

namespace archivist::normalize {

namespace {

std::string TextOf(const Dom& dom, NodeId root) {
  std::string out;
  struct Item {
    NodeId node;
    bool exit;
  };
  std::vector<Item> stack;
  for (NodeId c = dom[root].last_child; c != kNoNode; c = dom[c].prev) stack.push_back({c, false});
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    const Node& n = dom[item.node];
    if (n.type == NodeType::kText) {
      out += n.data;
      continue;
    }
    if (n.type != NodeType::kElement) continue;
    const bool edge = (n.html && IsBlockTag(n.tag)) || dom.Is(item.node, Tag::kBr);
    if (item.exit) {
      if (edge) out += '\n';
      continue;
    }
    if (dom.Is(item.node, Tag::kScript) || dom.Is(item.node, Tag::kStyle)) continue;
    if (edge) out += '\n';
    stack.push_back({item.node, true});
    for (NodeId c = n.last_child; c != kNoNode; c = dom[c].prev) stack.push_back({c, false});
  }
  return out;
}

}  // namespace

std::string VisibleText(std::string_view html, const Options& options) {
  Dom dom = ParseAnswerHtml(SanitizeUtf8(html));
  ZhihuCleanup(&dom, dom.root(), options.image_proxy);
  return TextOf(dom, dom.root());
}

}  // namespace archivist::normalize
