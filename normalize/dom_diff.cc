#include "normalize/dom_diff.h"

#include <utility>
#include <vector>

namespace archivist::normalize {

namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < 80; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n') out += "\\n";
    else if (c < 0x20 || c == 0x7F) out += "\\x" + std::to_string(c);
    else out += static_cast<char>(c);
  }
  if (s.size() > 80) out += "…";
  return out + "\"";
}

std::string Describe(const Dom& dom, NodeId id) {
  if (id == kNoNode) return "(no node)";
  const Node& n = dom[id];
  if (n.type == NodeType::kText) return "text " + Quote(dom.Text(id));
  if (n.type == NodeType::kComment) return "comment " + Quote(dom.Text(id));
  std::string out = "<" + (n.tag == Tag::kOther ? std::string("(other)") : std::string(TagName(n.tag)));
  if (!n.html) out += " (foreign)";
  for (const Attribute& a : dom.Attrs(id)) out += " " + std::string(a.name) + "=" + Quote(a.value);
  return out + ">";
}

bool SameNode(const Dom& dx, NodeId ix, const Dom& dy, NodeId iy) {
  const Node& x = dx[ix];
  const Node& y = dy[iy];
  if (x.type != y.type) return false;
  if (x.type != NodeType::kElement) return dx.Text(ix) == dy.Text(iy);
  const auto ax = dx.Attrs(ix), ay = dy.Attrs(iy);
  if (x.tag != y.tag || x.html != y.html || ax.size() != ay.size()) return false;
  for (size_t i = 0; i < ax.size(); ++i) {
    if (ax[i].name != ay[i].name || ax[i].value != ay[i].value) return false;
  }
  return true;
}

}  // namespace

std::string FirstDomDifference(const Dom& expected, const Dom& actual) {
  struct Item {
    NodeId e, a;
    std::string path;
  };
  std::vector<Item> stack = {{expected.root(), actual.root(), "root"}};
  while (!stack.empty()) {
    Item item = std::move(stack.back());
    stack.pop_back();
    if (item.e == kNoNode || item.a == kNoNode || !SameNode(expected, item.e, actual, item.a)) {
      return "at " + item.path + ": expected " + Describe(expected, item.e) + ", got " +
             Describe(actual, item.a);
    }
    std::vector<Item> kids;
    NodeId x = expected[item.e].first_child, y = actual[item.a].first_child;
    for (int k = 0; x != kNoNode || y != kNoNode; ++k) {
      kids.push_back({x, y, item.path + "/" + std::to_string(k)});
      if (x != kNoNode) x = expected[x].next;
      if (y != kNoNode) y = actual[y].next;
    }
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(std::move(*it));
  }
  return "";
}

}  // namespace archivist::normalize
