// A small mutable DOM: the tree turndown walks, built from gumbo's parse.
//
// gumbo's own tree is awkward to mutate, and the conversion mutates a lot (whitespace
// collapsing rewrites and detaches text nodes; the Zhihu clean-up removes, unwraps and adds
// elements). Nodes live in one arena and link by index; a detached node simply stays in the
// arena, unreachable. Adjacent text is one node, as in a spec-conformant DOM. Only elements,
// text (CDATA included) and comments are kept; a <template>'s content is not part of the tree
// (as in domino, where it lives in a separate fragment).
//
// Memory is what bounds the largest answer archivist can take, so a node is 40 bytes: the
// nodes sit in fixed-size chunks (no reallocation of the whole array as it grows), and the
// bytes of texts, comments and attributes are carved from blocks of a bump allocator that
// never move. A std::string_view of a text or an attribute therefore stays valid for the
// Dom's whole life, whatever is added or changed meanwhile; a changed text that no longer
// fits where it was is copied to a new place (the old bytes are not reused).
//
// Every traversal in this module and its users is iterative: the input controls the depth.
#ifndef ARCHIVIST_NORMALIZE_DOM_H_
#define ARCHIVIST_NORMALIZE_DOM_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "normalize/elements.h"

namespace archivist::normalize {

using NodeId = int32_t;
inline constexpr NodeId kNoNode = -1;

enum class NodeType : uint8_t { kElement, kText, kComment };

// Views into the Dom's byte blocks.
struct Attribute {
  std::string_view name;
  std::string_view value;
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
  // Text and comments: the data (Dom::Text). Elements: `size` attributes from index `attrs`
  // of the Dom's attribute table (Dom::Attrs).
  const char* data = nullptr;
  uint32_t size = 0;
  uint32_t attrs = 0;
};

class Dom {
 public:
  Dom();
  ~Dom();
  Dom(Dom&&) noexcept;
  Dom& operator=(Dom&&) noexcept;
  Dom(const Dom&) = delete;
  Dom& operator=(const Dom&) = delete;

  Node& operator[](NodeId id) { return chunks_[Chunk(id)][Slot(id)]; }
  const Node& operator[](NodeId id) const { return chunks_[Chunk(id)][Slot(id)]; }
  // (A chunk is a vector reserved to its full size once: it never reallocates, and nodes are
  // constructed only as they are made, so a small answer does not pay for a whole chunk.)
  NodeId root() const { return root_; }
  void set_root(NodeId id) { root_ = id; }
  size_t size() const { return size_; }

  NodeId NewElement(Tag tag, bool html = true);
  NodeId NewText(std::string_view data);
  NodeId NewComment(std::string_view data);

  // The data of a text or comment node.
  std::string_view Text(NodeId id) const {
    const Node& n = (*this)[id];
    return {n.data, n.size};
  }
  // Replaces the data of a text or comment node (`data` may be a view of its current data).
  void SetText(NodeId id, std::string_view data);
  // Appends to the data of a text or comment node.
  void AppendText(NodeId id, std::string_view more);
  // In-place edits that never grow the data: its bytes, and a shorter length.
  char* MutableText(NodeId id) { return const_cast<char*>((*this)[id].data); }
  void TruncateText(NodeId id, size_t size) { (*this)[id].size = static_cast<uint32_t>(size); }

  void AppendChild(NodeId parent, NodeId child);
  void InsertBefore(NodeId parent, NodeId child, NodeId before);  // before may be kNoNode
  void Detach(NodeId id);
  // Replaces `id` by its children (like the oracle's unwrap()).
  void Unwrap(NodeId id);

  // HTML-element test used by turndown's function filters and element lists.
  bool Is(NodeId id, Tag tag) const {
    const Node& n = (*this)[id];
    return n.type == NodeType::kElement && n.html && n.tag == tag;
  }
  // Name test of turndown's string filters and getElementsByTagName: any namespace.
  bool Named(NodeId id, Tag tag) const {
    const Node& n = (*this)[id];
    return n.type == NodeType::kElement && n.tag == tag;
  }

  // The attributes of an element, in source order.
  std::span<const Attribute> Attrs(NodeId id) const;
  // getAttribute: nullopt when absent.
  std::optional<std::string_view> Attr(NodeId id, std::string_view name) const;
  // setAttribute: replaces the value of `name`, or adds it last.
  void SetAttr(NodeId id, std::string_view name, std::string_view value);
  // Adds an attribute last, without looking for one of that name (the parsers drop
  // duplicates themselves).
  void AddAttr(NodeId id, std::string_view name, std::string_view value);
  // Removes every attribute but `keep`.
  void RemoveAttrsExcept(NodeId id, std::string_view keep);
  // Replaces the name and value of the i-th attribute.
  void SetAttrAt(NodeId id, size_t i, std::string_view name, std::string_view value);
  // Makes room for about `n` attributes in all (a parser's estimate), so that the table is
  // not doubled, and its old and new copies held at once, as it grows.
  void ReserveAttrs(size_t n) { attr_table_.reserve(n); }

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
  static constexpr int kChunkBits = 12;  // 4,096 nodes (160 KiB) per chunk
  static size_t Chunk(NodeId id) { return static_cast<size_t>(id) >> kChunkBits; }
  static size_t Slot(NodeId id) { return static_cast<size_t>(id) & ((1u << kChunkBits) - 1); }

  NodeId NewNode(NodeType type);
  // Copies `bytes` into the byte blocks; returns where they now live.
  const char* Store(std::string_view bytes);

  std::vector<std::vector<Node>> chunks_;
  size_t size_ = 0;
  NodeId root_ = kNoNode;
  std::vector<Attribute> attr_table_;
  // The bump allocator: blocks_ own the bytes; [free_, free_ + left_) is unused.
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* free_ = nullptr;
  size_t left_ = 0;
};

// About how much input one gumbo parse takes at a time (gumbo_parse.cc).
inline constexpr size_t kGumboSegmentBytes = size_t{1} << 18;

// Parses `html` as turndown does — '<x-turndown id="turndown-root">' + html + '</x-turndown>'
// as a whole document (HTML5, scripting off) — and returns the DOM of the element with id
// "turndown-root". `html` must be valid UTF-8 (see SanitizeUtf8). Long inputs are parsed in
// segments of about `segment_bytes`, with the same result (gumbo_parse.cc); *segments (if
// not null) is set to how many.
Dom ParseTurndownRoot(std::string_view html, size_t segment_bytes = kGumboSegmentBytes,
                      size_t* segments = nullptr);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_DOM_H_
