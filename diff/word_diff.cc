// The word diff, in two levels.
//
// Lines first: the two texts are split into lines and diffed (myers.h), which places the
// hunks exactly where the unified diff puts them and keeps every unchanged line out of the
// finer pass. Each maximal block of changed lines — the removed lines A and the added lines
// B between two unchanged ones — is then cut into tokens (word_tokens.h: jieba words or
// single characters for Han, letter/digit runs, whitespace runs, single punctuation) and the
// tokens are diffed with the same Myers engine. The merged block is written as B with every
// run of removed tokens wrapped in [-…-] and every run of added tokens in {+…+}, removals
// first, as git's --word-diff=plain does; the code points a removed and an added run share at
// their ends are left outside the marks, so that a one-character edit inside a jieba word
// marks that one character.
//
// Why two levels and not one token diff of the whole text: an answer is often 10⁴–10⁵
// tokens, and the changed blocks are small; the line pass is cheap (lines interned once) and
// bounds the token pass to what changed. Bounds for hostile input: a block larger than
// max_block_bytes is not tokenized at all — its lines are marked whole (line level) — and
// each Myers run gives up after max_cost edits, marking the rest of its box as replaced:
// the output stays correct, only coarser. Time is O((N+M)·max_cost), memory O(N+M).
//
// Counting an edit (EditSize) walks the same blocks with one token per Han character and
// sums the code points of removed and added tokens.
#include "diff/word_diff.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "diff/myers.h"

namespace archivist::diff {
namespace {

// The text of a block: lines [from, to) of `lines`, contiguous in the original text.
std::string_view Join(const std::vector<std::string_view>& lines, size_t from, size_t to) {
  if (from == to) return {};
  const char* begin = lines[from].data();
  const char* end = lines[to - 1].data() + lines[to - 1].size();
  return std::string_view(begin, static_cast<size_t>(end - begin));
}

// A changed block: removed text `a`, added text `b`.
struct Block {
  std::string_view a, b;
};

// Calls `on_block` for each block of changed lines in ops[begin, end), `on_kept` for each
// unchanged line (its text in `from`).
void WalkBlocks(const std::vector<EditOp>& ops, size_t begin, size_t end,
                const std::vector<std::string_view>& la, const std::vector<std::string_view>& lb,
                const std::function<void(std::string_view)>& on_kept,
                const std::function<void(const Block&)>& on_block) {
  size_t i = begin;
  while (i < end) {
    if (ops[i].tag == ' ') {
      on_kept(la[ops[i].a]);
      ++i;
      continue;
    }
    size_t a0 = SIZE_MAX, a1 = 0, b0 = SIZE_MAX, b1 = 0;
    for (; i < end && ops[i].tag != ' '; ++i) {
      const size_t a = static_cast<size_t>(ops[i].a), b = static_cast<size_t>(ops[i].b);
      if (ops[i].tag == '-') a0 = std::min(a0, a), a1 = a + 1;
      if (ops[i].tag == '+') b0 = std::min(b0, b), b1 = b + 1;
    }
    on_block({a0 == SIZE_MAX ? std::string_view() : Join(la, a0, a1),
              b0 == SIZE_MAX ? std::string_view() : Join(lb, b0, b1)});
  }
}

bool Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Writes a replacement with the code points both sides share at their start and end left
// outside the marks: jieba's "北京" → "南京" is shown as "[-北-]{+南+}京".
void AppendMarked(std::string& out, std::string_view removed, std::string_view added) {
  size_t prefix = 0, suffix = 0;
  if (!removed.empty() && !added.empty()) {
    const size_t n = std::min(removed.size(), added.size());
    while (prefix < n && removed[prefix] == added[prefix]) ++prefix;
    while (prefix > 0 && prefix < removed.size() && Continuation(removed[prefix])) --prefix;
    while (prefix > 0 && prefix < added.size() && Continuation(added[prefix])) --prefix;
    while (suffix < n - prefix &&
           removed[removed.size() - 1 - suffix] == added[added.size() - 1 - suffix]) {
      ++suffix;
    }
    while (suffix > 0 && Continuation(removed[removed.size() - suffix])) --suffix;
  }
  out.append(removed.substr(0, prefix));
  removed = removed.substr(prefix, removed.size() - prefix - suffix);
  const std::string_view tail = added.substr(added.size() - suffix);
  added = added.substr(prefix, added.size() - prefix - suffix);
  // A whole line removed or added keeps its line break outside the marks, as git shows it.
  const bool one_sided = removed.empty() != added.empty();
  const std::string_view run = removed.empty() ? added : removed;
  const bool newline = one_sided && run.back() == '\n';
  const std::string_view body = newline ? run.substr(0, run.size() - 1) : run;
  if (one_sided) {
    out.append(removed.empty() ? "{+" : "[-").append(body).append(removed.empty() ? "+}" : "-]");
    if (newline) out.push_back('\n');
  } else if (!removed.empty()) {
    out.append("[-").append(removed).append("-]{+").append(added).append("+}");
  }
  out.append(tail);
}

// The merged text of one block, marked at token level (or at line level when too large).
void AppendBlock(std::string& out, const Block& block, const WordDiffOptions& options) {
  if (block.a.size() + block.b.size() > options.max_block_bytes) {
    if (!block.a.empty()) out.append("[-").append(block.a).append("-]");
    if (!block.b.empty()) out.append("{+").append(block.b).append("+}");
    if (out.back() != '\n') out.push_back('\n');
    return;
  }
  const auto ta = WordTokens(block.a, options.segment), tb = WordTokens(block.b, options.segment);
  const std::vector<EditOp> ops = EditScriptOf(ta, tb, options.max_cost);
  std::string removed, added;
  for (const EditOp& op : ops) {
    if (op.tag == '-') {
      removed.append(ta[op.a]);
    } else if (op.tag == '+') {
      added.append(tb[op.b]);
    } else {
      AppendMarked(out, removed, added);
      removed.clear();
      added.clear();
      out.append(tb[op.b]);
    }
  }
  AppendMarked(out, removed, added);
  if (!out.empty() && out.back() != '\n') out.push_back('\n');
}

std::string RangeText(int first_line_index, int count) {
  const int start = count == 0 ? first_line_index : first_line_index + 1;
  if (count == 1) return std::to_string(start);
  return std::to_string(start) + "," + std::to_string(count);
}

}  // namespace

std::string WordDiff(std::string_view from, std::string_view to,
                     const WordDiffOptions& options) {
  const std::vector<std::string_view> la = SplitLines(from), lb = SplitLines(to);
  const std::vector<EditOp> ops = EditScriptOf(la, lb, options.max_cost);
  std::string out;
  for (const auto& [begin, end] : HunkRanges(ops, options.context)) {
    if (out.empty()) out = "--- " + options.from_label + "\n+++ " + options.to_label + "\n";
    int count_a = 0, count_b = 0;
    for (size_t i = begin; i < end; ++i) {
      count_a += ops[i].tag != '+';
      count_b += ops[i].tag != '-';
    }
    out += "@@ -" + RangeText(ops[begin].a, count_a) + " +" + RangeText(ops[begin].b, count_b) +
           " @@\n";
    WalkBlocks(
        ops, begin, end, la, lb,
        [&](std::string_view line) {
          out.append(line);
          if (line.empty() || line.back() != '\n') out.push_back('\n');
        },
        [&](const Block& block) { AppendBlock(out, block, options); });
  }
  return out;
}

EditSize MeasureEdit(std::string_view from, std::string_view to, size_t max_block_bytes) {
  const std::vector<std::string_view> la = SplitLines(from), lb = SplitLines(to);
  const std::vector<EditOp> ops = EditScriptOf(la, lb, 2000);
  EditSize size;
  WalkBlocks(
      ops, 0, ops.size(), la, lb, [](std::string_view) {},
      [&](const Block& block) {
        if (block.a.size() + block.b.size() > max_block_bytes) {
          size.removed += CodePoints(block.a);
          size.added += CodePoints(block.b);
          return;
        }
        const auto ta = WordTokens(block.a), tb = WordTokens(block.b);
        for (const EditOp& op : EditScriptOf(ta, tb, 2000)) {
          if (op.tag == '-') size.removed += CodePoints(ta[op.a]);
          if (op.tag == '+') size.added += CodePoints(tb[op.b]);
        }
      });
  return size;
}

}  // namespace archivist::diff
