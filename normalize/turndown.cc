// The conversion proper: turndown's process()/replacementForNode() without recursion.
//
// turndown converts an element by first converting all of its children (process), then
// handing that content to the element's rule. Here an explicit stack of frames plays the
// call stack: a frame owns the element being converted and the Markdown of the children done
// so far; when its last child is done the frame is popped, the rule is applied and the result
// joined into the parent's frame. Joins append in place, so a long list of siblings costs
// linear time (turndown's `s1 + sep + s2` is quadratic in the worst case; the result is the
// same).
//
// Everything turndown computes per node from its subtree (isBlank's "textContent is blank and
// no void or meaningful descendant") is computed once, bottom-up, before the walk. Rules that
// ignore their content (blank, br, hr, images, code blocks, math) are not descended into; in
// turndown that work has no effect.
#include "normalize/turndown.h"

#include <array>
#include <vector>

#include "normalize/collapse_whitespace.h"
#include "normalize/js_text.h"
#include "normalize/turndown_rules.h"

namespace archivist::normalize {

std::string EscapeMarkdown(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  size_t i = 0;
  // The ^-anchored escapes look only at the start of the text node (steps 3–6, 8, 11, 13).
  if (!s.empty()) {
    const char c = s[0];
    if (c == '-') {
      out += "\\-";
      i = 1;
    } else if (c == '+' && s.size() > 1 && s[1] == ' ') {
      out += "\\+ ";
      i = 2;
    } else if (c == '=') {
      out += '\\';
    } else if (c == '#') {
      size_t n = 0;
      while (n < s.size() && s[n] == '#') ++n;
      if (n <= 6 && n < s.size() && s[n] == ' ') out += '\\';  // `#{1,6} `
    } else if (c == '~' && s.substr(0, 3) == "~~~") {
      out += "\\~~~";
      i = 3;
    } else if (c == '>') {
      out += "\\>";
      i = 1;
    } else if (c >= '0' && c <= '9') {
      size_t n = 0;
      while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
      if (n + 1 < s.size() && s[n] == '.' && s[n + 1] == ' ') {
        out.append(s.substr(0, n)).append("\\. ");
        i = n + 2;
      }
    }
  }
  // Every \ * ` [ ] _ gets a backslash; copy the runs between them whole.
  static constexpr auto kSpecial = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : std::string_view("\\*`[]_")) t[c] = true;
    return t;
  }();
  size_t run = i;
  for (; i < s.size(); ++i) {
    if (!kSpecial[static_cast<unsigned char>(s[i])]) continue;
    out.append(s.data() + run, i - run);
    out += '\\';
    run = i;
  }
  out.append(s.data() + run, s.size() - run);
  return out;
}

void JoinInto(std::string* out, std::string_view r) {
  size_t left = 0;
  while (left < out->size() && (*out)[out->size() - 1 - left] == '\n') ++left;
  size_t right = 0;
  while (right < r.size() && r[right] == '\n') ++right;
  out->resize(out->size() - left);
  out->append(std::min<size_t>(std::max(left, right), 2), '\n');
  out->append(r.substr(right));
}

namespace {

struct Frame {
  NodeId node;
  NodeId next_child;
  Rule rule;
  bool is_code;         // this node is CODE or inside one
  int32_t elem_index;   // this node's index among its parent's element children
  int32_t child_elems;  // element children seen so far
  std::string out;
};

std::string Process(RuleContext* ctx, NodeId root) {
  const Dom& dom = *ctx->dom;
  std::vector<Frame> stack;
  stack.push_back({root, dom[root].first_child, Rule::kDefault, false, 0, 0, {}});
  while (true) {
    Frame& f = stack.back();
    if (f.next_child == kNoNode) {
      if (stack.size() == 1) return std::move(f.out);
      std::string content = std::move(f.out);
      const NodeId node = f.node;
      const Rule rule = f.rule;
      const int32_t index = f.elem_index;
      stack.pop_back();
      JoinInto(&stack.back().out, ReplacementForNode(ctx, node, rule, std::move(content), index));
      continue;
    }
    const NodeId c = f.next_child;
    f.next_child = dom[c].next;
    const Node& n = dom[c];
    if (n.type == NodeType::kText) {
      if (f.is_code) JoinInto(&f.out, n.data);
      else JoinInto(&f.out, EscapeMarkdown(n.data));
    } else if (n.type == NodeType::kElement) {
      const int32_t index = f.child_elems++;
      const Rule rule = RuleFor(*ctx, c);
      const bool is_code = f.is_code || dom.Is(c, Tag::kCode);
      if (RuleUsesContent(rule) && n.first_child != kNoNode) {
        stack.push_back({c, n.first_child, rule, is_code, index, 0, {}});
      } else {
        JoinInto(&f.out, ReplacementForNode(ctx, c, rule, std::string(), index));
      }
    }
  }
}

// Trims turndown's output: ^[\t\r\n]+ and [\t\r\n\s]+$ (docs/format.md §5.1).
std::string FinalTrim(std::string s) {
  size_t b = 0;
  while (b < s.size() && (s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  size_t e = s.size();
  while (e > b) {
    const size_t n = JsWsLengthBefore(s, e);
    if (n == 0) break;
    e -= n;
  }
  return s.substr(b, e - b);
}

}  // namespace

std::string Turndown(Dom* dom, NodeId root, const TurndownOptions& options) {
  CollapseWhitespace(dom, root);
  RuleContext ctx(dom, root, options);
  return FinalTrim(Process(&ctx, root));
}

}  // namespace archivist::normalize
