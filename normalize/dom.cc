#include "normalize/dom.h"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "normalize/gumbo_escape.h"

namespace archivist::normalize {

namespace {
constexpr size_t kBlockSize = 64 * 1024;  // bytes of texts and attributes per block
}  // namespace

Dom::Dom() = default;
Dom::~Dom() = default;

Dom::Dom(Dom&& other) noexcept { *this = std::move(other); }

Dom& Dom::operator=(Dom&& other) noexcept {
  chunks_ = std::move(other.chunks_);
  size_ = std::exchange(other.size_, 0);
  root_ = std::exchange(other.root_, kNoNode);
  attr_table_ = std::move(other.attr_table_);
  blocks_ = std::move(other.blocks_);
  free_ = std::exchange(other.free_, nullptr);
  left_ = std::exchange(other.left_, 0);
  other.chunks_.clear();
  other.attr_table_.clear();
  other.blocks_.clear();
  return *this;
}

NodeId Dom::NewNode(NodeType type) {
  if (Slot(static_cast<NodeId>(size_)) == 0) {
    chunks_.push_back(std::make_unique<Node[]>(size_t{1} << kChunkBits));
  }
  const NodeId id = static_cast<NodeId>(size_++);
  (*this)[id].type = type;
  return id;
}

NodeId Dom::NewElement(Tag tag, bool html) {
  const NodeId id = NewNode(NodeType::kElement);
  Node& n = (*this)[id];
  n.tag = tag;
  n.html = html;
  return id;
}

NodeId Dom::NewText(std::string_view data) {
  const NodeId id = NewNode(NodeType::kText);
  SetText(id, data);
  return id;
}

NodeId Dom::NewComment(std::string_view data) {
  const NodeId id = NewNode(NodeType::kComment);
  SetText(id, data);
  return id;
}

const char* Dom::Store(std::string_view bytes) {
  if (bytes.empty()) return nullptr;
  if (bytes.size() > left_) {
    if (bytes.size() > kBlockSize / 4) {  // a block of its own; the current one stays open
      blocks_.push_back(std::make_unique_for_overwrite<char[]>(bytes.size()));
      std::memcpy(blocks_.back().get(), bytes.data(), bytes.size());
      return blocks_.back().get();
    }
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(kBlockSize));
    free_ = blocks_.back().get();
    left_ = kBlockSize;
  }
  char* at = free_;
  std::memcpy(at, bytes.data(), bytes.size());
  free_ += bytes.size();
  left_ -= bytes.size();
  return at;
}

void Dom::SetText(NodeId id, std::string_view data) {
  Node& n = (*this)[id];
  if (data.size() <= n.size) {  // in place (memmove: `data` may be a part of the old text)
    if (!data.empty()) std::memmove(const_cast<char*>(n.data), data.data(), data.size());
  } else {
    n.data = Store(data);
  }
  n.size = static_cast<uint32_t>(data.size());
}

void Dom::AppendText(NodeId id, std::string_view more) {
  if (more.empty()) return;
  Node& n = (*this)[id];
  if (n.data != nullptr && n.data + n.size == free_ && more.size() <= left_) {
    std::memcpy(free_, more.data(), more.size());  // the last bytes stored: grow in place
    free_ += more.size();
    left_ -= more.size();
    n.size += static_cast<uint32_t>(more.size());
    return;
  }
  // Elsewhere: move to a block with room to grow as much again, so that a text appended to
  // piece by piece is copied O(log n) times.
  const size_t total = n.size + more.size();
  const size_t block = std::max(kBlockSize, 2 * total);
  blocks_.push_back(std::make_unique_for_overwrite<char[]>(block));
  char* at = blocks_.back().get();
  if (n.size != 0) std::memcpy(at, n.data, n.size);
  std::memcpy(at + n.size, more.data(), more.size());
  free_ = at + total;
  left_ = block - total;
  n.data = at;
  n.size = static_cast<uint32_t>(total);
}

void Dom::AppendChild(NodeId parent, NodeId child) { InsertBefore(parent, child, kNoNode); }

void Dom::InsertBefore(NodeId parent, NodeId child, NodeId before) {
  if ((*this)[child].parent != kNoNode) Detach(child);
  Node& c = (*this)[child];
  Node& p = (*this)[parent];
  c.parent = parent;
  c.next = before;
  if (before == kNoNode) {
    c.prev = p.last_child;
    if (p.last_child != kNoNode) (*this)[p.last_child].next = child;
    else p.first_child = child;
    p.last_child = child;
  } else {
    c.prev = (*this)[before].prev;
    if (c.prev != kNoNode) (*this)[c.prev].next = child;
    else p.first_child = child;
    (*this)[before].prev = child;
  }
}

void Dom::Detach(NodeId id) {
  Node& n = (*this)[id];
  if (n.parent == kNoNode) return;
  Node& p = (*this)[n.parent];
  if (n.prev != kNoNode) (*this)[n.prev].next = n.next;
  else p.first_child = n.next;
  if (n.next != kNoNode) (*this)[n.next].prev = n.prev;
  else p.last_child = n.prev;
  n.parent = n.prev = n.next = kNoNode;
}

void Dom::Unwrap(NodeId id) {
  const NodeId parent = (*this)[id].parent;
  if (parent == kNoNode) return;
  while ((*this)[id].first_child != kNoNode) InsertBefore(parent, (*this)[id].first_child, id);
  Detach(id);
}

std::span<const Attribute> Dom::Attrs(NodeId id) const {
  const Node& n = (*this)[id];
  if (n.type != NodeType::kElement || n.size == 0) return {};
  return {attr_table_.data() + n.attrs, n.size};
}

std::optional<std::string_view> Dom::Attr(NodeId id, std::string_view name) const {
  for (const Attribute& a : Attrs(id)) {
    if (a.name == name) return a.value;
  }
  return std::nullopt;
}

void Dom::SetAttr(NodeId id, std::string_view name, std::string_view value) {
  const Node& n = (*this)[id];
  for (uint32_t i = 0; i < n.size; ++i) {
    Attribute& a = attr_table_[n.attrs + i];
    if (a.name == name) {
      a.value = {Store(value), value.size()};
      return;
    }
  }
  AddAttr(id, name, value);
}

void Dom::AddAttr(NodeId id, std::string_view name, std::string_view value) {
  Node& n = (*this)[id];
  if (n.size == 0) {
    n.attrs = static_cast<uint32_t>(attr_table_.size());
  } else if (n.attrs + n.size != attr_table_.size()) {  // not last in the table: move there
    const size_t from = n.attrs;
    n.attrs = static_cast<uint32_t>(attr_table_.size());
    for (uint32_t i = 0; i < n.size; ++i) attr_table_.push_back(attr_table_[from + i]);
  }
  attr_table_.push_back({{Store(name), name.size()}, {Store(value), value.size()}});
  ++n.size;
}

void Dom::RemoveAttrsExcept(NodeId id, std::string_view keep) {
  Node& n = (*this)[id];
  uint32_t kept = 0;
  for (uint32_t i = 0; i < n.size; ++i) {
    const Attribute a = attr_table_[n.attrs + i];
    if (a.name == keep) attr_table_[n.attrs + kept++] = a;
  }
  n.size = kept;
}

void Dom::SetAttrAt(NodeId id, size_t i, std::string_view name, std::string_view value) {
  Attribute& a = attr_table_[(*this)[id].attrs + i];
  a = {{Store(name), name.size()}, {Store(value), value.size()}};
}

NodeId Dom::NextInSubtree(NodeId id, NodeId scope) const {
  if ((*this)[id].first_child != kNoNode) return (*this)[id].first_child;
  while (id != scope) {
    if ((*this)[id].next != kNoNode) return (*this)[id].next;
    id = (*this)[id].parent;
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
  if ((*this)[id].type != NodeType::kElement) return std::string(Text(id));
  std::string out;
  for (NodeId n = NextInSubtree(id, id); n != kNoNode; n = NextInSubtree(n, id)) {
    if ((*this)[n].type == NodeType::kText) out += Text(n);
  }
  return out;
}

NodeId Dom::LastElementChild(NodeId id) const {
  for (NodeId c = (*this)[id].last_child; c != kNoNode; c = (*this)[c].prev) {
    if ((*this)[c].type == NodeType::kElement) return c;
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

// The Tag of an element gumbo does not know, from its name in the source text.
Tag UnknownTagOf(const GumboElement& e) {
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

// The elements under `root` that gumbo does not know, with their Tag: names in the source
// text are all the copy reads from the input buffer, so that it can be freed first.
using UnknownTags = std::unordered_map<const GumboNode*, Tag>;
UnknownTags ResolveUnknownTags(const GumboNode* root, size_t* attributes) {
  UnknownTags out;
  *attributes = 0;
  std::vector<const GumboNode*> stack = {root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) continue;
    if (n->v.element.tag == GUMBO_TAG_UNKNOWN) out[n] = UnknownTagOf(n->v.element);
    *attributes += n->v.element.attributes.length;
    if (n->type == GUMBO_NODE_TEMPLATE) continue;  // its content is not copied
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) stack.push_back(static_cast<GumboNode*>(kids.data[i]));
  }
  return out;
}

NodeId NewElementFrom(Dom* dom, const GumboNode* g, const UnknownTags& unknown) {
  const GumboElement& e = g->v.element;
  Tag tag = Tag::kOther;
  if (e.tag != GUMBO_TAG_UNKNOWN) {
    tag = GumboTagTable()[e.tag];
  } else if (auto it = unknown.find(g); it != unknown.end()) {
    tag = it->second;
  }
  NodeId id = dom->NewElement(tag, e.tag_namespace == GUMBO_NAMESPACE_HTML);
  for (unsigned i = 0; i < e.attributes.length; ++i) {
    const auto* a = static_cast<const GumboAttribute*>(e.attributes.data[i]);
    dom->AddAttr(id, a->name, a->value);
  }
  return id;
}

}  // namespace

Dom ParseTurndownRoot(std::string_view html) {
  // Characters gumbo would decode differently from an HTML5 parser travel escaped
  // (gumbo_escape.h).
  std::string escaped;
  const bool escapes = EscapeForGumbo(html, &escaped);
  if (escapes) html = escaped;
  // turndown parses '<x-turndown id="turndown-root">' + html + '</x-turndown>'; see
  // kWrapperTag for why the wrapper is opened as a <dir> here. The end tag stays as it is:
  // inside an unclosed <textarea> or <script> it is text, and elsewhere it only pops.
  std::string wrapped;
  wrapped.reserve(html.size() + 48);
  wrapped.append("<dir id=\"turndown-root\">").append(html).append("</x-turndown>");
  escaped = std::string();

  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // recording errors copies the open-element stack: see DESIGN.md
  GumboOutputPtr out(gumbo_parse_with_options(&options, wrapped.data(), wrapped.size()));

  Dom dom;
  const GumboNode* groot = FindRoot(out->document);
  if (!groot) {  // cannot happen with the wrapper, but never crash on it
    dom.set_root(dom.NewElement(Tag::kOther));
    return dom;
  }
  // gumbo's texts and attributes are its own copies; only the names of unknown elements
  // point into the input, so those are read now and the input freed before our tree grows.
  size_t attributes = 0;
  const UnknownTags unknown = ResolveUnknownTags(groot, &attributes);
  std::string().swap(wrapped);
  dom.ReserveAttrs(attributes);
  dom.set_root(NewElementFrom(&dom, groot, unknown));
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
          dom.AppendText(last, c->v.text.text);
        } else {
          dom.AppendChild(parent, dom.NewText(c->v.text.text));
        }
      } else if (c->type == GUMBO_NODE_COMMENT) {
        dom.AppendChild(parent, dom.NewComment(c->v.text.text));
      } else if (c->type == GUMBO_NODE_ELEMENT || c->type == GUMBO_NODE_TEMPLATE) {
        NodeId id = NewElementFrom(&dom, c, unknown);
        dom.AppendChild(parent, id);
        todo.push_back({c, id});
      }
    }
  }
  if (escapes) RestoreEscapes(&dom);
  return dom;
}

}  // namespace archivist::normalize
