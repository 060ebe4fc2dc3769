#include "normalize/amplifiers.h"

#include <vector>

namespace archivist::normalize {

namespace {

enum Kind { kHeading, kPrefixing, kTable, kCell, kKinds };

int KindOf(const Node& n) {
  if (n.type != NodeType::kElement) return -1;
  switch (n.tag) {
    case Tag::kH1: case Tag::kH2: case Tag::kH3: case Tag::kH4: case Tag::kH5: case Tag::kH6:
      return kHeading;  // any namespace: turndown's heading filter is a string filter
    case Tag::kBlockquote: case Tag::kUl: case Tag::kOl: case Tag::kLi: case Tag::kMenu:
    case Tag::kDir:
      return kPrefixing;
    case Tag::kTable:
      return kTable;
    case Tag::kTd: case Tag::kTh:
      return kCell;  // a cell inside a cell escapes the inner cell's pipes once more
    default:
      return -1;
  }
}

}  // namespace

size_t FlattenAmplifiers(Dom* dom, NodeId root) {
  static constexpr size_t kLimit[kKinds] = {kMaxHeadingDepth, kMaxPrefixDepth, kMaxTableDepth,
                                            kMaxTableDepth};
  size_t depth[kKinds] = {0, 0, 0, 0};
  std::vector<NodeId> unwrap;
  // Pre-order walk with an explicit exit step to keep the ancestor counts.
  struct Item {
    NodeId node;
    int counted;  // kind counted on entry (-1: none), undone on exit
    bool exit;
  };
  std::vector<Item> stack;
  for (NodeId c = (*dom)[root].last_child; c != kNoNode; c = (*dom)[c].prev) {
    stack.push_back({c, -1, false});
  }
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    if (item.exit) {
      if (item.counted >= 0) --depth[item.counted];
      continue;
    }
    const Node& n = (*dom)[item.node];
    if (n.type != NodeType::kElement) continue;
    int counted = KindOf(n);
    if (counted >= 0) {
      if (depth[counted] >= kLimit[counted]) {
        unwrap.push_back(item.node);
        counted = -1;
      } else {
        ++depth[counted];
      }
    }
    stack.push_back({item.node, counted, true});
    for (NodeId c = n.last_child; c != kNoNode; c = (*dom)[c].prev) {
      stack.push_back({c, -1, false});
    }
  }
  for (NodeId n : unwrap) dom->Unwrap(n);
  return unwrap.size();
}

}  // namespace archivist::normalize
