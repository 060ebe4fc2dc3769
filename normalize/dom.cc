#include "normalize/dom.h"

#include <gumbo.h>

#include <array>
#include <cstring>
#include <memory>

namespace archivist::normalize {

NodeId Dom::NewElement(Tag tag, bool html) {
  Node n;
  n.type = NodeType::kElement;
  n.tag = tag;
  n.html = html;
  nodes_.push_back(std::move(n));
  return static_cast<NodeId>(nodes_.size() - 1);
}

NodeId Dom::NewText(std::string data) {
  Node n;
  n.type = NodeType::kText;
  n.data = std::move(data);
  nodes_.push_back(std::move(n));
  return static_cast<NodeId>(nodes_.size() - 1);
}

NodeId Dom::NewComment(std::string data) {
  NodeId id = NewText(std::move(data));
  nodes_[id].type = NodeType::kComment;
  return id;
}

void Dom::AppendChild(NodeId parent, NodeId child) { InsertBefore(parent, child, kNoNode); }

void Dom::InsertBefore(NodeId parent, NodeId child, NodeId before) {
  if (nodes_[child].parent != kNoNode) Detach(child);
  Node& c = nodes_[child];
  Node& p = nodes_[parent];
  c.parent = parent;
  c.next = before;
  if (before == kNoNode) {
    c.prev = p.last_child;
    if (p.last_child != kNoNode) nodes_[p.last_child].next = child;
    else p.first_child = child;
    p.last_child = child;
  } else {
    c.prev = nodes_[before].prev;
    if (c.prev != kNoNode) nodes_[c.prev].next = child;
    else p.first_child = child;
    nodes_[before].prev = child;
  }
}

void Dom::Detach(NodeId id) {
  Node& n = nodes_[id];
  if (n.parent == kNoNode) return;
  Node& p = nodes_[n.parent];
  if (n.prev != kNoNode) nodes_[n.prev].next = n.next;
  else p.first_child = n.next;
  if (n.next != kNoNode) nodes_[n.next].prev = n.prev;
  else p.last_child = n.prev;
  n.parent = n.prev = n.next = kNoNode;
}

void Dom::Unwrap(NodeId id) {
  const NodeId parent = nodes_[id].parent;
  if (parent == kNoNode) return;
  while (nodes_[id].first_child != kNoNode) InsertBefore(parent, nodes_[id].first_child, id);
  Detach(id);
}

const std::string* Dom::Attr(NodeId id, std::string_view name) const {
  for (const Attribute& a : nodes_[id].attrs) {
    if (a.name == name) return &a.value;
  }
  return nullptr;
}

void Dom::SetAttr(NodeId id, std::string_view name, std::string value) {
  for (Attribute& a : nodes_[id].attrs) {
    if (a.name == name) {
      a.value = std::move(value);
      return;
    }
  }
  nodes_[id].attrs.push_back({std::string(name), std::move(value)});
}

NodeId Dom::NextInSubtree(NodeId id, NodeId scope) const {
  if (nodes_[id].first_child != kNoNode) return nodes_[id].first_child;
  while (id != scope) {
    if (nodes_[id].next != kNoNode) return nodes_[id].next;
    id = nodes_[id].parent;
  }
  return kNoNode;
}

std::vector<NodeId> Dom::ElementsByTag(NodeId scope, Tag tag) const {
  std::vector<NodeId> out;
  for (NodeId n = NextInSubtree(scope, scope); n != kNoNode; n = NextInSubtree(n, scope)) {
    if (Named(n, tag)) out.push_back(n);
  }
  return out;
}

std::string Dom::TextContent(NodeId id) const {
  if (nodes_[id].type != NodeType::kElement) return nodes_[id].data;
  std::string out;
  for (NodeId n = NextInSubtree(id, id); n != kNoNode; n = NextInSubtree(n, id)) {
    if (nodes_[n].type == NodeType::kText) out += nodes_[n].data;
  }
  return out;
}

NodeId Dom::LastElementChild(NodeId id) const {
  for (NodeId c = nodes_[id].last_child; c != kNoNode; c = nodes_[c].prev) {
    if (nodes_[c].type == NodeType::kElement) return c;
  }
  return kNoNode;
}

// ---------------------------------------------------------------------------------------------
// Building from gumbo.

namespace {

struct GumboOutputDeleter {
  void operator()(GumboOutput* out) const { gumbo_destroy_output(&kGumboDefaultOptions, out); }
};
using GumboOutputPtr = std::unique_ptr<GumboOutput, GumboOutputDeleter>;

// GumboTag → Tag, computed once.
const std::array<Tag, GUMBO_TAG_LAST + 1>& GumboTagTable() {
  static const auto table = [] {
    std::array<Tag, GUMBO_TAG_LAST + 1> t{};
    for (int g = 0; g < GUMBO_TAG_LAST; ++g) {
      t[g] = TagFromName(gumbo_normalized_tagname(static_cast<GumboTag>(g)));
    }
    t[GUMBO_TAG_LAST] = Tag::kOther;
    return t;
  }();
  return table;
}

Tag TagOf(const GumboElement& e) {
  if (e.tag != GUMBO_TAG_UNKNOWN) return GumboTagTable()[e.tag];
  GumboStringPiece piece = e.original_tag;
  gumbo_tag_from_original_text(&piece);
  if (piece.length == 0 || piece.length > 16) return Tag::kOther;
  char lower[17];
  for (size_t i = 0; i < piece.length; ++i) {
    char c = piece.data[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  return TagFromName(std::string_view(lower, piece.length));
}

bool IsTextLike(const GumboNode* n) {
  return n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
         n->type == GUMBO_NODE_CDATA;
}

// First element, in document order, with id="turndown-root".
const GumboNode* FindRoot(const GumboNode* doc) {
  std::vector<const GumboNode*> stack = {doc};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT &&
        n->type != GUMBO_NODE_TEMPLATE) {
      continue;
    }
    if (n->type != GUMBO_NODE_DOCUMENT) {
      const GumboAttribute* id = gumbo_get_attribute(&n->v.element.attributes, "id");
      if (id && std::strcmp(id->value, "turndown-root") == 0) return n;
      if (n->type == GUMBO_NODE_TEMPLATE) continue;  // content is not in the tree
    }
    const GumboVector& kids =
        n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
    for (unsigned i = kids.length; i-- > 0;) stack.push_back(static_cast<GumboNode*>(kids.data[i]));
  }
  return nullptr;
}

NodeId NewElementFrom(Dom* dom, const GumboNode* g) {
  const GumboElement& e = g->v.element;
  NodeId id = dom->NewElement(TagOf(e), e.tag_namespace == GUMBO_NAMESPACE_HTML);
  Node& n = (*dom)[id];
  n.attrs.reserve(e.attributes.length);
  for (unsigned i = 0; i < e.attributes.length; ++i) {
    const auto* a = static_cast<const GumboAttribute*>(e.attributes.data[i]);
    n.attrs.push_back({a->name, a->value});
  }
  return id;
}

}  // namespace

Dom ParseTurndownRoot(std::string_view html) {
  std::string wrapped;
  wrapped.reserve(html.size() + 48);
  // turndown parses '<x-turndown id="turndown-root">' + html + '</x-turndown>'; see
  // kWrapperTag for why the wrapper is opened as a <dir> here. The end tag stays as it is:
  // inside an unclosed <textarea> or <script> it is text, and elsewhere it only pops.
  wrapped.append("<dir id=\"turndown-root\">").append(html).append("</x-turndown>");

  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // recording an error copies the open-element stack: no errors
  GumboOutputPtr out(gumbo_parse_with_options(&options, wrapped.data(), wrapped.size()));

  Dom dom;
  const GumboNode* groot = FindRoot(out->document);
  if (!groot) {  // cannot happen with the wrapper, but never crash on it
    dom.set_root(dom.NewElement(Tag::kOther));
    return dom;
  }
  dom.set_root(NewElementFrom(&dom, groot));
  // Iterative copy: (gumbo node, our node) pairs whose children are still to be copied.
  std::vector<std::pair<const GumboNode*, NodeId>> todo = {{groot, dom.root()}};
  while (!todo.empty()) {
    auto [g, parent] = todo.back();
    todo.pop_back();
    if (g->type == GUMBO_NODE_TEMPLATE) continue;
    const GumboVector& kids = g->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
      const auto* c = static_cast<const GumboNode*>(kids.data[i]);
      if (IsTextLike(c)) {
        const NodeId last = dom[parent].last_child;
        if (last != kNoNode && dom[last].type == NodeType::kText) {
          dom[last].data.append(c->v.text.text);
        } else {
          dom.AppendChild(parent, dom.NewText(c->v.text.text));
        }
      } else if (c->type == GUMBO_NODE_COMMENT) {
        dom.AppendChild(parent, dom.NewComment(c->v.text.text));
      } else if (c->type == GUMBO_NODE_ELEMENT || c->type == GUMBO_NODE_TEMPLATE) {
        NodeId id = NewElementFrom(&dom, c);
        dom.AppendChild(parent, id);
        todo.push_back({c, id});
      }
    }
  }
  return dom;
}

}  // namespace archivist::normalize
