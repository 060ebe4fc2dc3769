#include "normalize/dom.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <utility>

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
    chunks_.emplace_back().reserve(size_t{1} << kChunkBits);
  }
  chunks_.back().emplace_back().type = type;
  return static_cast<NodeId>(size_++);
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

}  // namespace archivist::normalize
