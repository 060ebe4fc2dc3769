// Two levels, as diff/word_diff.cc does: the texts are diffed by lines first (so unchanged
// lines never reach the finer pass), then each block of changed lines — the removed lines
// and the added lines between two unchanged ones — is cut into tokens and diffed again. A
// run of removed tokens becomes <del> in the left column, a run of added tokens <ins> in the
// right one; kept text goes to both.
#include "web/side_by_side.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "diff/myers.h"
#include "web/html.h"

namespace archivist::web {
namespace {

constexpr int kMaxCost = 2000;
constexpr size_t kMaxBlockBytes = 256 * 1024;

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < text.size();) {
    const size_t nl = text.find('\n', start);
    const size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

std::vector<diff::EditOp> Diff(const std::vector<std::string_view>& x,
                               const std::vector<std::string_view>& y) {
  std::unordered_map<std::string_view, int> ids;
  std::vector<int> a, b;
  for (std::string_view s : x) a.push_back(ids.emplace(s, static_cast<int>(ids.size())).first->second);
  for (std::string_view s : y) b.push_back(ids.emplace(s, static_cast<int>(ids.size())).first->second);
  return diff::EditScript(a, b, kMaxCost);
}

std::string Mark(std::string_view tag, std::string_view text) {
  if (text.empty()) return {};
  return "<" + std::string(tag) + ">" + Escape(text) + "</" + std::string(tag) + ">";
}

bool Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// A removed run and an added run, with the code points both share at their start and end
// left outside the marks: jieba's "北京" → "南京" shows as <del>北</del>京 / <ins>南</ins>京.
void AppendReplacement(Columns& out, std::string_view del, std::string_view ins) {
  size_t head = 0;
  if (!del.empty() && !ins.empty()) {
    while (head < del.size() && head < ins.size() && del[head] == ins[head]) ++head;
    while (head > 0 && head < del.size() && Continuation(del[head])) --head;
    while (head > 0 && head < ins.size() && Continuation(ins[head])) --head;
  }
  size_t tail = 0;
  if (!del.empty() && !ins.empty()) {
    while (tail < del.size() - head && tail < ins.size() - head &&
           del[del.size() - 1 - tail] == ins[ins.size() - 1 - tail]) {
      ++tail;
    }
    while (tail > 0 && Continuation(del[del.size() - tail])) --tail;
  }
  const std::string_view prefix = del.substr(0, head), suffix = del.substr(del.size() - tail);
  out.left += Escape(prefix) + Mark("del", del.substr(head, del.size() - head - tail)) + Escape(suffix);
  out.right += Escape(prefix) + Mark("ins", ins.substr(head, ins.size() - head - tail)) + Escape(suffix);
}

// One block of changed text: removed `a`, added `b`.
void AppendBlock(Columns& out, std::string_view a, std::string_view b,
                 const diff::Segmenter& segment) {
  if (a.empty() || b.empty() || a.size() + b.size() > kMaxBlockBytes) {
    out.left += Mark("del", a);
    out.right += Mark("ins", b);
    return;
  }
  const std::vector<std::string_view> ta = diff::WordTokens(a, segment);
  const std::vector<std::string_view> tb = diff::WordTokens(b, segment);
  const std::vector<diff::EditOp> ops = Diff(ta, tb);
  std::string del, ins;
  auto flush = [&] {
    AppendReplacement(out, del, ins);
    del.clear();
    ins.clear();
  };
  for (const diff::EditOp& op : ops) {
    if (op.tag == '-') {
      del += ta[op.a];
    } else if (op.tag == '+') {
      ins += tb[op.b];
    } else {
      flush();
      out.left += Escape(ta[op.a]);
      out.right += Escape(tb[op.b]);
    }
  }
  flush();
}

std::string_view Join(const std::vector<std::string_view>& lines, size_t from, size_t to) {
  if (from >= to) return {};
  const char* begin = lines[from].data();
  const char* end = lines[to - 1].data() + lines[to - 1].size();
  return {begin, static_cast<size_t>(end - begin)};
}

}  // namespace

Columns SideBySide(std::string_view from, std::string_view to, const diff::Segmenter& segment) {
  const std::vector<std::string_view> la = Lines(from), lb = Lines(to);
  const std::vector<diff::EditOp> ops = Diff(la, lb);
  Columns out;
  for (size_t i = 0; i < ops.size();) {
    if (ops[i].tag == ' ') {
      const std::string kept = Escape(la[ops[i].a]);
      out.left += kept;
      out.right += kept;
      ++i;
      continue;
    }
    size_t a0 = SIZE_MAX, a1 = 0, b0 = SIZE_MAX, b1 = 0;
    for (; i < ops.size() && ops[i].tag != ' '; ++i) {
      const size_t a = static_cast<size_t>(ops[i].a), b = static_cast<size_t>(ops[i].b);
      if (ops[i].tag == '-') a0 = std::min(a0, a), a1 = a + 1;
      if (ops[i].tag == '+') b0 = std::min(b0, b), b1 = b + 1;
    }
    AppendBlock(out, a0 == SIZE_MAX ? std::string_view() : Join(la, a0, a1),
                b0 == SIZE_MAX ? std::string_view() : Join(lb, b0, b1), segment);
  }
  return out;
}

}  // namespace archivist::web
