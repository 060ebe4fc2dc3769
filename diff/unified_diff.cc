// Unified line diff: lines are interned to integers, diffed by diff/myers.h (minimal unless a
// part costs more than max_cost edits), and the script's hunks written in GNU's format.
#include "diff/unified_diff.h"

#include <algorithm>
#include <vector>

#include "diff/myers.h"

namespace archivist::diff {
namespace {

void AppendLine(std::string& out, char tag, std::string_view line) {
  out.push_back(tag);
  out.append(line);
  if (line.empty() || line.back() != '\n') out.append("\n\\ No newline at end of file\n");
}

std::string RangeText(int first_line_index, int count) {
  // GNU convention: an empty range names the line before it; a single line omits ",1".
  const int start = count == 0 ? first_line_index : first_line_index + 1;
  if (count == 1) return std::to_string(start);
  return std::to_string(start) + "," + std::to_string(count);
}

void EmitHunk(std::string& out, const std::vector<EditOp>& ops, size_t begin, size_t end,
              const std::vector<std::string_view>& la, const std::vector<std::string_view>& lb) {
  int count_a = 0, count_b = 0;
  for (size_t i = begin; i < end; ++i) {
    count_a += ops[i].tag != '+';
    count_b += ops[i].tag != '-';
  }
  out += "@@ -" + RangeText(ops[begin].a, count_a) + " +" + RangeText(ops[begin].b, count_b) +
         " @@\n";
  for (size_t i = begin; i < end; ++i) {
    const EditOp& op = ops[i];
    AppendLine(out, op.tag, op.tag == '+' ? lb[op.b] : la[op.a]);
  }
}

}  // namespace

std::string UnifiedDiff(std::string_view from, std::string_view to,
                        const UnifiedDiffOptions& options) {
  const std::vector<std::string_view> la = SplitLines(from), lb = SplitLines(to);
  const std::vector<EditOp> ops = EditScriptOf(la, lb, options.max_cost);
  std::string out;
  for (const auto& [begin, end] : HunkRanges(ops, options.context)) {
    if (out.empty()) out = "--- " + options.from_label + "\n+++ " + options.to_label + "\n";
    EmitHunk(out, ops, begin, end, la, lb);
  }
  return out;
}

}  // namespace archivist::diff
