// turndown's flanking white space (docs/format.md §5.5): the run of white space at each edge of a
// non-block element's textContent, kept outside the element's Markdown unless the neighbour
// already supplies an ASCII space. The regular expression of the JS is spelled out as walks
// over the text nodes from each end, which stop at the first non-white-space character.
#include "normalize/flanking.h"

#include <vector>

#include "normalize/js_text.h"

namespace archivist::normalize {

namespace {

bool IsBlock(const Dom& dom, NodeId n) { return dom[n].html && IsBlockTag(dom[n].tag); }

NodeId LastDescendantOrSelf(const Dom& dom, NodeId n) {
  while (dom[n].last_child != kNoNode) n = dom[n].last_child;
  return n;
}

// Previous node in reverse document order within the subtree of scope.
NodeId PrevInSubtree(const Dom& dom, NodeId n, NodeId scope) {
  if (n == scope) return kNoNode;
  if (dom[n].prev != kNoNode) return LastDescendantOrSelf(dom, dom[n].prev);
  const NodeId p = dom[n].parent;
  return p == scope ? kNoNode : p;
}

// The maximal run of JS white space at the start of n's textContent.
std::string LeadingWs(const Dom& dom, NodeId n) {
  std::string run;
  for (NodeId m = n; m != kNoNode; m = dom.NextInSubtree(m, n)) {
    if (dom[m].type != NodeType::kText) continue;
    const std::string& s = dom[m].data;
    size_t i = 0;
    while (i < s.size()) {
      const size_t w = JsWsLengthAt(s, i);
      if (w == 0) return run + s.substr(0, i);
      i += w;
    }
    run += s;
  }
  return run;
}

// The maximal run of JS white space at the end of n's textContent.
std::string TrailingWs(const Dom& dom, NodeId n) {
  std::string run;  // built back to front, then reversed as pieces
  std::vector<std::string> pieces;
  for (NodeId m = LastDescendantOrSelf(dom, n); m != kNoNode; m = PrevInSubtree(dom, m, n)) {
    if (dom[m].type != NodeType::kText) continue;
    const std::string& s = dom[m].data;
    size_t e = s.size();
    while (e > 0) {
      const size_t w = JsWsLengthBefore(s, e);
      if (w == 0) break;
      e -= w;
    }
    pieces.push_back(s.substr(e));
    if (e > 0) break;
  }
  for (size_t k = pieces.size(); k-- > 0;) run += pieces[k];
  return run;
}

// First / last character of n's textContent is U+0020.
bool TextStartsWithSpace(const Dom& dom, NodeId n) {
  for (NodeId m = n; m != kNoNode; m = dom.NextInSubtree(m, n)) {
    if (dom[m].type == NodeType::kText && !dom[m].data.empty()) return dom[m].data.front() == ' ';
  }
  return false;
}

bool TextEndsWithSpace(const Dom& dom, NodeId n) {
  for (NodeId m = LastDescendantOrSelf(dom, n); m != kNoNode; m = PrevInSubtree(dom, m, n)) {
    if (dom[m].type == NodeType::kText && !dom[m].data.empty()) return dom[m].data.back() == ' ';
  }
  return false;
}

bool FlankedBySpace(const Dom& dom, NodeId n, bool left) {
  const NodeId s = left ? dom[n].prev : dom[n].next;
  if (s == kNoNode) return false;
  if (dom[s].type == NodeType::kText || (dom[s].type == NodeType::kElement && !IsBlock(dom, s))) {
    return left ? TextEndsWithSpace(dom, s) : TextStartsWithSpace(dom, s);
  }
  return false;
}

size_t AsciiWsPrefix(const std::string& s) {
  size_t i = 0;
  while (i < s.size() && IsAsciiWs(s[i])) ++i;
  return i;
}

size_t AsciiWsSuffix(const std::string& s) {
  size_t i = 0;
  while (i < s.size() && IsAsciiWs(s[s.size() - 1 - i])) ++i;
  return i;
}

}  // namespace

void FlankingWhitespace(const Dom& dom, bool all_ws, NodeId n, std::string* leading,
                        std::string* trailing) {
  if (IsBlock(dom, n)) return;
  if (all_ws) {
    *leading = dom.TextContent(n);  // the regex's group 1 takes a blank string whole
  } else {
    *leading = LeadingWs(dom, n);
    *trailing = TrailingWs(dom, n);
  }
  const size_t la = AsciiWsPrefix(*leading);
  if (la > 0 && FlankedBySpace(dom, n, /*left=*/true)) leading->erase(0, la);
  const size_t ta = AsciiWsSuffix(*trailing);
  if (ta > 0 && FlankedBySpace(dom, n, /*left=*/false)) trailing->resize(trailing->size() - ta);
}

}  // namespace archivist::normalize
