// The Zhihu profile (docs/format.md §2): the clean-up Z1–Z7 of the parsed answer, and the pieces of
// the added rules Z8 (math, tables) that turndown_rules.cc calls.
#ifndef ARCHIVIST_NORMALIZE_ZHIHU_PROFILE_H_
#define ARCHIVIST_NORMALIZE_ZHIHU_PROFILE_H_

#include <string>
#include <string_view>

#include "normalize/dom.h"
#include "normalize/turndown_rules.h"

namespace archivist::normalize {

// Z1–Z7 on the tree under `root`, in order. `image_proxy` is Z5's prefix ("" keeps URLs).
void ZhihuCleanup(Dom* dom, NodeId root, std::string_view image_proxy);

// img[eeimg="1"].
bool IsMathImage(const Dom& dom, NodeId img);

// Z8 math: $TEX$, $$TEX$$ alone in a paragraph, "" without TEX.
std::string MathReplacement(const Dom& dom, NodeId img);

// Z8 tables.
std::string TableReplacement(const RuleContext::TableInfo& table, const std::string& content);
std::string TableRowReplacement(RuleContext* ctx, NodeId tr, const std::string& content);
std::string TableCellReplacement(const std::string& content);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_ZHIHU_PROFILE_H_
