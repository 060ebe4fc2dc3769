// A direct port of turndown's collapse-whitespace loop, which is already iterative: `Next`
// walks the tree in document order, visiting each element on entry and (through its parent
// link) on exit, and never enters a <pre>. The port keeps the JS's shape on purpose so the
// two can be compared line by line (turndown 7.2.2's src/collapse-whitespace.js;
// docs/format.md §5.4).
#include "normalize/collapse_whitespace.h"

#include "normalize/js_text.h"

namespace archivist::normalize {

namespace {

bool IsPre(const Dom& dom, NodeId n) { return dom.Is(n, Tag::kPre); }

NodeId Next(const Dom& dom, NodeId prev, NodeId current) {
  const Node& c = dom[current];
  if ((prev != kNoNode && dom[prev].parent == current) || IsPre(dom, current)) {
    return c.next != kNoNode ? c.next : c.parent;
  }
  if (c.first_child != kNoNode) return c.first_child;
  return c.next != kNoNode ? c.next : c.parent;
}

// Detaches `n` and returns what the JS remove() returns: its next sibling, or its parent.
NodeId Remove(Dom* dom, NodeId n) {
  const NodeId next = (*dom)[n].next != kNoNode ? (*dom)[n].next : (*dom)[n].parent;
  dom->Detach(n);
  return next;
}

// Replaces every maximal run of [ \t\r\n] by one space, in place; drops the first character
// when it is then a space and `drop_leading_space` is set.
void CollapseRunsInPlace(std::string* s, bool drop_leading_space) {
  char* d = s->data();
  const size_t n = s->size();
  size_t w = 0;
  for (size_t i = 0; i < n; ++i) {
    if (IsAsciiWs(d[i])) {
      if (w > 0 || !drop_leading_space) d[w++] = ' ';
      while (i + 1 < n && IsAsciiWs(d[i + 1])) ++i;
    } else {
      d[w++] = d[i];
    }
  }
  s->resize(w);
}

void RemoveOneTrailingSpace(std::string* s) {
  if (!s->empty() && s->back() == ' ') s->pop_back();
}

}  // namespace

void CollapseWhitespace(Dom* dom, NodeId element) {
  Dom& d = *dom;
  if (d[element].first_child == kNoNode || IsPre(d, element)) return;

  NodeId prev_text = kNoNode;
  bool keep_leading_ws = false;
  NodeId prev = kNoNode;
  NodeId node = Next(d, prev, element);

  while (node != element) {
    const Node& n = d[node];
    if (n.type == NodeType::kText) {
      const bool drop_leading =
          (prev_text == kNoNode || (!d[prev_text].data.empty() && d[prev_text].data.back() == ' ')) &&
          !keep_leading_ws;
      CollapseRunsInPlace(&d[node].data, drop_leading);
      if (d[node].data.empty()) {
        node = Remove(dom, node);
        continue;
      }
      prev_text = node;
    } else if (n.type == NodeType::kElement) {
      if ((n.html && IsBlockTag(n.tag)) || d.Is(node, Tag::kBr)) {
        if (prev_text != kNoNode) RemoveOneTrailingSpace(&d[prev_text].data);
        prev_text = kNoNode;
        keep_leading_ws = false;
      } else if ((n.html && IsVoidTag(n.tag)) || IsPre(d, node)) {
        prev_text = kNoNode;
        keep_leading_ws = true;
      } else if (prev_text != kNoNode) {
        keep_leading_ws = false;
      }
    } else {
      node = Remove(dom, node);
      continue;
    }
    const NodeId next_node = Next(d, prev, node);
    prev = node;
    node = next_node;
  }

  if (prev_text != kNoNode) {
    RemoveOneTrailingSpace(&d[prev_text].data);
    if (d[prev_text].data.empty()) dom->Detach(prev_text);
  }
}

}  // namespace archivist::normalize
