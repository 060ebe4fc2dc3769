// turndown's rules (docs/format.md §5.6) and the Zhihu profile's added rules (docs/format.md Z8).
#ifndef ARCHIVIST_NORMALIZE_TURNDOWN_RULES_H_
#define ARCHIVIST_NORMALIZE_TURNDOWN_RULES_H_

#include <string>
#include <unordered_map>
#include <vector>

#include "normalize/dom.h"
#include "normalize/turndown.h"

namespace archivist::normalize {

enum class Rule : uint8_t {
  kBlank, kDefault,
  // turndown's own, in its order
  kParagraph, kLineBreak, kHeading, kBlockquote, kList, kListItem, kIndentedCodeBlock,
  kFencedCodeBlock, kHorizontalRule, kInlineLink, kEmphasis, kStrong, kCode, kImage,
  // Z8, checked before turndown's own (addRule puts them first)
  kTableCaption, kTable, kTableSection, kTableRow, kTableCell, kStrikethrough, kMath,
};

// Per-conversion state: the tree, the options, and facts computed once per tree.
struct RuleContext {
  RuleContext(Dom* dom, NodeId root, const TurndownOptions& options);

  struct TableInfo {
    NodeId first_row = kNoNode;
    size_t rows = 0;
    size_t columns = 0;
  };
  const TableInfo& Table(NodeId table);

  const Dom* dom;
  TurndownOptions options;
  std::vector<bool> all_ws;         // textContent is all JS white space (or empty)
  std::vector<bool> has_void_or_mwb;  // a VOID or MEANINGFUL_WHEN_BLANK element below
  std::unordered_map<NodeId, TableInfo> tables;
};

Rule RuleFor(const RuleContext& ctx, NodeId node);

// False for rules whose replacement ignores the content (it need not be computed).
bool RuleUsesContent(Rule rule);

// turndown's replacementForNode: flanking white space around the rule's replacement.
// `elem_index` is the node's index among its parent's element children.
std::string ReplacementForNode(RuleContext* ctx, NodeId node, Rule rule, std::string content,
                               int32_t elem_index);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_TURNDOWN_RULES_H_
