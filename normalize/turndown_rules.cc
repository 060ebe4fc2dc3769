// The replacement of each rule, as turndown 7.2.2 (src/commonmark-rules.js) and
// docs/format.md Z8 state it, with
// every JavaScript regular expression spelled out as a linear scan.
#include "normalize/turndown_rules.h"

#include "normalize/flanking.h"
#include "normalize/js_text.h"
#include "normalize/zhihu_profile.h"

namespace archivist::normalize {

RuleContext::RuleContext(Dom* d, NodeId root, const TurndownOptions& opts)
    : dom(d), options(opts), all_ws(d->size(), true), has_void_or_mwb(d->size(), false) {
  // Bottom-up: visit in reverse pre-order, so every child comes before its parent.
  std::vector<NodeId> order;
  for (NodeId n = root; n != kNoNode; n = d->NextInSubtree(n, root)) order.push_back(n);
  for (size_t k = order.size(); k-- > 1;) {
    const NodeId n = order[k];
    const Node& node = (*d)[n];
    const NodeId p = node.parent;
    if (node.type == NodeType::kText) {
      if (!IsAllJsWs(node.data)) all_ws[p] = false;
    } else if (node.type == NodeType::kElement) {
      if (!all_ws[n]) all_ws[p] = false;
      if (has_void_or_mwb[n] ||
          (node.html && (IsVoidTag(node.tag) || IsMeaningfulWhenBlankTag(node.tag)))) {
        has_void_or_mwb[p] = true;
      }
    }
  }
}

const RuleContext::TableInfo& RuleContext::Table(NodeId table) {
  auto it = tables.find(table);
  if (it != tables.end()) return it->second;
  TableInfo info;
  // rowsOf(table): every `tr` below whose nearest TABLE ancestor is this table, so nested
  // tables are skipped whole.
  NodeId n = dom->NextInSubtree(table, table);
  while (n != kNoNode) {
    const Node& node = (*dom)[n];
    if (dom->Is(n, Tag::kTable)) {
      // Skip the nested table's subtree.
      NodeId m = n;
      while (m != table && (*dom)[m].next == kNoNode) m = (*dom)[m].parent;
      n = m == table ? kNoNode : (*dom)[m].next;
      continue;
    }
    if (dom->Named(n, Tag::kTr)) {
      if (info.rows++ == 0) info.first_row = n;
      size_t cells = 0;
      for (NodeId c = node.first_child; c != kNoNode; c = (*dom)[c].next) {
        if (dom->Is(c, Tag::kTd) || dom->Is(c, Tag::kTh)) ++cells;
      }
      info.columns = std::max(info.columns, cells);
    }
    n = dom->NextInSubtree(n, table);
  }
  return tables.emplace(table, info).first->second;
}

namespace {

bool IsBlock(const Dom& dom, NodeId n) { return dom[n].html && IsBlockTag(dom[n].tag); }

bool IsBlank(const RuleContext& ctx, NodeId n) {
  const Node& node = (*ctx.dom)[n];
  if (node.html && (IsVoidTag(node.tag) || IsMeaningfulWhenBlankTag(node.tag))) return false;
  return ctx.all_ws[n] && !ctx.has_void_or_mwb[n];
}

}  // namespace

Rule RuleFor(const RuleContext& ctx, NodeId n) {
  const Dom& dom = *ctx.dom;
  if (IsBlank(ctx, n)) return Rule::kBlank;
  const Tag t = dom[n].tag;
  if (ctx.options.zhihu_rules) {
    switch (t) {
      case Tag::kCaption: return Rule::kTableCaption;
      case Tag::kTable: return Rule::kTable;
      case Tag::kThead: case Tag::kTbody: case Tag::kTfoot: return Rule::kTableSection;
      case Tag::kTr: return Rule::kTableRow;
      case Tag::kTh: case Tag::kTd: return Rule::kTableCell;
      case Tag::kDel: case Tag::kS: case Tag::kStrike: return Rule::kStrikethrough;
      default: break;
    }
    if (dom.Is(n, Tag::kImg) && IsMathImage(dom, n)) return Rule::kMath;
  }
  switch (t) {
    case Tag::kP: return Rule::kParagraph;
    case Tag::kBr: return Rule::kLineBreak;
    case Tag::kH1: case Tag::kH2: case Tag::kH3: case Tag::kH4: case Tag::kH5: case Tag::kH6:
      return Rule::kHeading;
    case Tag::kBlockquote: return Rule::kBlockquote;
    case Tag::kUl: case Tag::kOl: return Rule::kList;
    case Tag::kLi: return Rule::kListItem;
    default: break;
  }
  if (dom.Is(n, Tag::kPre)) {
    const NodeId first = dom[n].first_child;
    if (first != kNoNode && dom.Is(first, Tag::kCode)) {
      return ctx.options.fenced_code_blocks ? Rule::kFencedCodeBlock : Rule::kIndentedCodeBlock;
    }
  }
  if (t == Tag::kHr) return Rule::kHorizontalRule;
  if (dom.Is(n, Tag::kA)) {
    const std::string* href = dom.Attr(n, "href");
    if (href && !href->empty()) return Rule::kInlineLink;
  }
  if (t == Tag::kEm || t == Tag::kI) return Rule::kEmphasis;
  if (t == Tag::kStrong || t == Tag::kB) return Rule::kStrong;
  if (dom.Is(n, Tag::kCode)) {
    const Node& node = dom[n];
    const bool has_siblings = node.prev != kNoNode || node.next != kNoNode;
    if (!(node.parent != kNoNode && dom.Is(node.parent, Tag::kPre) && !has_siblings)) {
      return Rule::kCode;
    }
  }
  if (t == Tag::kImg) return Rule::kImage;
  return Rule::kDefault;
}

bool RuleUsesContent(Rule rule) {
  switch (rule) {
    case Rule::kBlank: case Rule::kLineBreak: case Rule::kIndentedCodeBlock:
    case Rule::kFencedCodeBlock: case Rule::kHorizontalRule: case Rule::kImage: case Rule::kMath:
    case Rule::kTableCaption:
      return false;
    default:
      return true;
  }
}

namespace {

// ---- Rules ------------------------------------------------------------------------------------

std::string TrimNewlines(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && s[b] == '\n') ++b;
  while (e > b && s[e - 1] == '\n') --e;
  return std::string(s.substr(b, e - b));
}

// cleanAttribute: every LF and the white space after it → one LF.
std::string CleanAttribute(const std::string* a) {
  if (!a) return "";
  std::string out;
  for (size_t i = 0; i < a->size();) {
    if ((*a)[i] == '\n') {
      out += '\n';
      ++i;
      while (i < a->size()) {
        const size_t w = JsWsLengthAt(*a, i);
        if (w == 0) break;
        i += w;
      }
    } else {
      out += (*a)[i++];
    }
  }
  return out;
}

std::string Heading(const Dom& dom, NodeId n, const std::string& content) {
  const int level = static_cast<int>(dom[n].tag) - static_cast<int>(Tag::kH1) + 1;
  if (level < 3) {
    return "\n\n" + content + "\n" + std::string(Utf16Length(content), level == 1 ? '=' : '-') +
           "\n\n";
  }
  return "\n\n" + std::string(level, '#') + " " + content + "\n\n";
}

// content.replace(/^/gm, '> '): before the start and after every LF, CR, U+2028, U+2029.
std::string Blockquote(const std::string& content) {
  const std::string c = TrimNewlines(content);
  std::string out = "\n\n> ";
  for (size_t i = 0; i < c.size(); ++i) {
    out += c[i];
    if (c[i] == '\n' || c[i] == '\r') {
      out += "> ";
    } else if (c[i] == '\xE2' && i + 2 < c.size() && c[i + 1] == '\x80' &&
               (c[i + 2] == '\xA8' || c[i + 2] == '\xA9')) {
      out += c[i + 1];
      out += c[i + 2];
      i += 2;
      out += "> ";
    }
  }
  return out + "\n\n";
}

std::string ListItem(const Dom& dom, NodeId n, const std::string& content, int32_t index) {
  std::string prefix = "*   ";
  const NodeId parent = dom[n].parent;
  if (parent != kNoNode && dom.Is(parent, Tag::kOl)) {
    const std::string* start = dom.Attr(parent, "start");
    const double num = (start && !start->empty()) ? JsNumber(*start) + index : index + 1.0;
    prefix = JsNumberToString(num) + ".  ";
  }
  const bool is_paragraph = !content.empty() && content.back() == '\n';
  std::string c = TrimNewlines(content) + (is_paragraph ? "\n" : "");
  std::string out = prefix;
  const std::string indent = "\n" + std::string(prefix.size(), ' ');
  for (char ch : c) {
    if (ch == '\n') out += indent;
    else out += ch;
  }
  if (dom[n].next != kNoNode) out += '\n';
  return out;
}

std::string IndentedCodeBlock(const Dom& dom, NodeId pre) {
  const std::string code = dom.TextContent(dom[pre].first_child);
  std::string out = "\n\n    ";
  for (char ch : code) {
    if (ch == '\n') out += "\n    ";
    else out += ch;
  }
  return out + "\n\n";
}

std::string FencedCodeBlock(const Dom& dom, NodeId pre) {
  const NodeId code_el = dom[pre].first_child;
  const std::string* cls = dom.Attr(code_el, "class");
  std::string language;
  if (cls) {
    // /language-(\S+)/: the first "language-" followed by a non-white-space character.
    for (size_t at = cls->find("language-"); at != std::string::npos;
         at = cls->find("language-", at + 1)) {
      size_t i = at + 9, e = i;
      while (e < cls->size() && JsWsLengthAt(*cls, e) == 0) e += Utf8SeqLength((*cls)[e]);
      if (e > i) {
        language = cls->substr(i, e - i);
        break;
      }
    }
  }
  std::string code = dom.TextContent(code_el);
  // /^`{3,}/gm: the longest run of backticks at a line start decides the fence.
  size_t fence = 3;
  for (size_t i = 0; i < code.size();) {
    size_t run = 0;
    while (i + run < code.size() && code[i + run] == '`') ++run;
    if (run >= 3 && run + 1 > fence) fence = run + 1;
    // Move to the next line start (after LF, CR, U+2028 or U+2029).
    size_t j = i + run;
    while (j < code.size()) {
      const char ch = code[j];
      if (ch == '\n' || ch == '\r') {
        ++j;
        break;
      }
      if (ch == '\xE2' && j + 2 < code.size() && code[j + 1] == '\x80' &&
          (code[j + 2] == '\xA8' || code[j + 2] == '\xA9')) {
        j += 3;
        break;
      }
      ++j;
    }
    i = j;
  }
  if (!code.empty() && code.back() == '\n') code.pop_back();
  const std::string f(fence, '`');
  return "\n\n" + f + language + "\n" + code + "\n" + f + "\n\n";
}

std::string InlineLink(const Dom& dom, NodeId n, const std::string& content) {
  std::string href;
  for (char ch : *dom.Attr(n, "href")) {
    if (ch == '(' || ch == ')') href += '\\';
    href += ch;
  }
  std::string title = CleanAttribute(dom.Attr(n, "title"));
  std::string title_part;
  if (!title.empty()) {
    title_part = " \"";
    for (char ch : title) {
      if (ch == '"') title_part += '\\';
      title_part += ch;
    }
    title_part += '"';
  }
  return "[" + content + "](" + href + title_part + ")";
}

// /^`|^ .*?[^ ].* $|`$/: turndown's "code" rule. `.` does not match line terminators.
bool CodeNeedsPadding(const std::string& c) {
  if (c.front() == '`' || c.back() == '`') return true;
  if (c.size() < 3 || c.front() != ' ' || c.back() != ' ') return false;
  size_t terminators = 0;
  bool non_space = false;
  for (size_t i = 1; i + 1 < c.size(); ++i) {
    if (c[i] == '\xE2' && i + 2 < c.size() - 1 && c[i + 1] == '\x80' &&
        (c[i + 2] == '\xA8' || c[i + 2] == '\xA9')) {
      ++terminators;
      i += 2;
    } else if (c[i] != ' ') {
      non_space = true;
    }
  }
  return terminators == 1 || (terminators == 0 && non_space);
}

std::string InlineCode(const std::string& content) {
  if (content.empty()) return "";
  std::string c;
  for (size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '\r') {
      c += ' ';
      if (i + 1 < content.size() && content[i + 1] == '\n') ++i;
    } else if (content[i] == '\n') {
      c += ' ';
    } else {
      c += content[i];
    }
  }
  const std::string extra = CodeNeedsPadding(c) ? " " : "";
  // The shortest run of backticks that is not the exact length of a run inside.
  std::vector<bool> run_lengths(1, false);
  for (size_t i = 0; i < c.size();) {
    if (c[i] != '`') {
      ++i;
      continue;
    }
    size_t n = 0;
    while (i < c.size() && c[i] == '`') ++i, ++n;
    if (run_lengths.size() <= n) run_lengths.resize(n + 1, false);
    run_lengths[n] = true;
  }
  size_t d = 1;
  while (d < run_lengths.size() && run_lengths[d]) ++d;
  const std::string delim(d, '`');
  return delim + extra + c + extra + delim;
}

std::string Image(const Dom& dom, NodeId n) {
  const std::string* src = dom.Attr(n, "src");
  if (!src || src->empty()) return "";
  const std::string alt = CleanAttribute(dom.Attr(n, "alt"));
  const std::string title = CleanAttribute(dom.Attr(n, "title"));
  const std::string title_part = title.empty() ? "" : " \"" + title + "\"";
  return "![" + alt + "](" + *src + title_part + ")";
}

std::string Replacement(RuleContext* ctx, NodeId n, Rule rule, std::string content,
                        int32_t index) {
  const Dom& dom = *ctx->dom;
  switch (rule) {
    case Rule::kBlank:
      return IsBlock(dom, n) ? "\n\n" : "";
    case Rule::kDefault:
      return IsBlock(dom, n) ? "\n\n" + content + "\n\n" : content;
    case Rule::kParagraph:
      return "\n\n" + content + "\n\n";
    case Rule::kLineBreak:
      return "  \n";
    case Rule::kHeading:
      return Heading(dom, n, content);
    case Rule::kBlockquote:
      return Blockquote(content);
    case Rule::kList: {
      const NodeId parent = dom[n].parent;
      if (parent != kNoNode && dom.Is(parent, Tag::kLi) && dom.LastElementChild(parent) == n) {
        return "\n" + content;
      }
      return "\n\n" + content + "\n\n";
    }
    case Rule::kListItem:
      return ListItem(dom, n, content, index);
    case Rule::kIndentedCodeBlock:
      return IndentedCodeBlock(dom, n);
    case Rule::kFencedCodeBlock:
      return FencedCodeBlock(dom, n);
    case Rule::kHorizontalRule:
      return "\n\n* * *\n\n";
    case Rule::kInlineLink:
      return InlineLink(dom, n, content);
    case Rule::kEmphasis:
      return JsTrim(content).empty() ? "" : "_" + content + "_";
    case Rule::kStrong:
      return JsTrim(content).empty() ? "" : "**" + content + "**";
    case Rule::kCode:
      return InlineCode(content);
    case Rule::kImage:
      return Image(dom, n);
    case Rule::kTableCaption:
      return "";
    case Rule::kTable:
      return TableReplacement(ctx->Table(n), content);
    case Rule::kTableSection:
      return content;
    case Rule::kTableRow:
      return TableRowReplacement(ctx, n, content);
    case Rule::kTableCell:
      return TableCellReplacement(content);
    case Rule::kStrikethrough:
      return JsTrim(content).empty() ? "" : "~~" + content + "~~";
    case Rule::kMath:
      return MathReplacement(dom, n);
  }
  return content;
}

}  // namespace

std::string ReplacementForNode(RuleContext* ctx, NodeId node, Rule rule, std::string content,
                               int32_t elem_index) {
  std::string leading, trailing;
  FlankingWhitespace(*ctx->dom, ctx->all_ws[node], node, &leading, &trailing);
  if (!leading.empty() || !trailing.empty()) content = std::string(JsTrim(content));
  return leading + Replacement(ctx, node, rule, std::move(content), elem_index) + trailing;
}

}  // namespace archivist::normalize
