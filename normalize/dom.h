// A small mutable DOM: the tree turndown walks, built from gumbo's parse.
//
// gumbo's own tree is awkward to mutate, and the conversion mutates a lot (whitespace
// collapsing rewrites and detaches text nodes; the Zhihu clean-up removes, unwraps and adds
// elements). Nodes live in one arena and link by index; a detached node simply stays in the
// arena, unreachable. Adjacent text is one node, as in a spec-conformant DOM. Only elements,
// text (CDATA included) and comments are kept; a <template>'s content is not part of the tree
// (as in domino, where it lives in a separate fragment).
//
// Every traversal in this module and its users is iterative: the input controls the depth.
#ifndef ARCHIVIST_NORMALIZE_DOM_H_
#define ARCHIVIST_NORMALIZE_DOM_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "normalize/elements.h"

namespace archivist::normalize {

using NodeId = int32_t;
inline constexpr NodeId kNoNode = -1;

enum class NodeType : uint8_t { kElement, kText, kComment };

struct Attribute {
  std::string name;
  std::string value;
};

struct Node {
  NodeType type = NodeType::kElement;
  Tag tag = Tag::kOther;  // elements: from the lower-case local name
  bool html = true;       // elements: in the HTML namespace (not SVG/MathML)
  NodeId parent = kNoNode;
  NodeId first_child = kNoNode;
  NodeId last_child = kNoNode;
  NodeId prev = kNoNode;
  NodeId next = kNoNode;
  std::string data;  // text and comments
  std::vector<Attribute> attrs;
};

class Dom {
 public:
  Node& operator[](NodeId id) { return nodes_[id]; }
  const Node& operator[](NodeId id) const { return nodes_[id]; }
  NodeId root() const { return root_; }
  void set_root(NodeId id) { root_ = id; }
  size_t size() const { return nodes_.size(); }

  NodeId NewElement(Tag tag, bool html = true);
  NodeId NewText(std::string data);
  NodeId NewComment(std::string data);

  void AppendChild(NodeId parent, NodeId child);
  void InsertBefore(NodeId parent, NodeId child, NodeId before);  // before may be kNoNode
  void Detach(NodeId id);
  // Replaces `id` by its children (like the oracle's unwrap()).
  void Unwrap(NodeId id);

  // HTML-element test used by turndown's function filters and element lists.
  bool Is(NodeId id, Tag tag) const {
    const Node& n = nodes_[id];
    return n.type == NodeType::kElement && n.html && n.tag == tag;
  }
  // Name test of turndown's string filters and getElementsByTagName: any namespace.
  bool Named(NodeId id, Tag tag) const {
    const Node& n = nodes_[id];
    return n.type == NodeType::kElement && n.tag == tag;
  }

  // getAttribute: nullptr when absent.
  const std::string* Attr(NodeId id, std::string_view name) const;
  void SetAttr(NodeId id, std::string_view name, std::string value);

  // Next node in document order within the subtree of `scope` (pre-order), or kNoNode.
  NodeId NextInSubtree(NodeId id, NodeId scope) const;
  // Every element under `scope` (not scope itself) whose name is `tag`, in document order:
  // getElementsByTagName.
  std::vector<NodeId> ElementsByTag(NodeId scope, Tag tag) const;
  // textContent of an element or text node.
  std::string TextContent(NodeId id) const;
  // The last element child, or kNoNode.
  NodeId LastElementChild(NodeId id) const;

 private:
  std::vector<Node> nodes_;
  NodeId root_ = kNoNode;
};

// Parses `html` as turndown does — '<x-turndown id="turndown-root">' + html + '</x-turndown>'
// as a whole document (HTML5, scripting off) — and returns the DOM of the element with id
// "turndown-root". `html` must be valid UTF-8 (see SanitizeUtf8).
Dom ParseTurndownRoot(std::string_view html);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_DOM_H_
