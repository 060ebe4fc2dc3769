// The edit script of two integer sequences: Myers' O(ND) algorithm in its linear-space form
// (E. W. Myers, "An O(ND) Difference Algorithm and Its Variations", 1986, section 4b), as GNU
// diff's diffseq does it.
//
// Callers intern their items (lines, words) to integers first, so comparisons are O(1).
// compareseq trims the common prefix and suffix of a box, handles the one-sided boxes (pure insertion or deletion), and
// otherwise finds a point on an optimal edit path about halfway along it by running the
// greedy search from both corners at once until the frontiers overlap ("middle snake"); it
// then recurses on the two halves. Recursion depth is O(log D) because each half costs at
// most ceil(D/2); memory is two frontier vectors per level.
//
// Bounded cost: when the search in a box passes `max_cost` rounds without meeting, the box is
// marked as replaced wholesale. The output is then not minimal, but it is a correct diff.
//
// The edit marks (deleted items of A, inserted items of B) are walked once into a script;
// HunkRanges groups a script into hunks with `context` unchanged items around changes,
// merging hunks whose context would overlap.
#include "diff/myers.h"

#include <algorithm>
#include <unordered_map>

namespace archivist::diff {
namespace {

struct Sequences {
  std::vector<int> a, b;          // interned items
  std::vector<char> deleted;      // per item of a
  std::vector<char> inserted;     // per item of b
  int max_cost = 0;
};

// A point on an optimal path through the box [x0,x1) × [y0,y1), or false if too costly.
bool MiddlePoint(const Sequences& s, int x0, int x1, int y0, int y1, int* mid_x, int* mid_y) {
  const int n = x1 - x0, m = y1 - y0;
  const int delta = n - m;
  const bool odd = (delta & 1) != 0;
  const int max_d = std::min((n + m + 1) / 2, s.max_cost);
  const int offset = max_d + 1;
  // vf[k]: furthest x on forward diagonal k = x - y (box-relative); vb[c]: smallest x on
  // backward diagonal c = k - delta.
  std::vector<int> vf(2 * max_d + 3, 0), vb(2 * max_d + 3, n);
  for (int d = 0; d <= max_d; ++d) {
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && vf[offset + k - 1] < vf[offset + k + 1]))
                  ? vf[offset + k + 1]
                  : vf[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && s.a[x0 + x] == s.b[y0 + y]) ++x, ++y;
      vf[offset + k] = x;
      const int c = k - delta;
      if (odd && c >= -(d - 1) && c <= d - 1 && x >= vb[offset + c]) {
        *mid_x = x0 + x;
        *mid_y = y0 + y;
        return true;
      }
    }
    for (int c = -d; c <= d; c += 2) {
      int x = (c == d || (c != -d && vb[offset + c - 1] < vb[offset + c + 1]))
                  ? vb[offset + c - 1]
                  : vb[offset + c + 1] - 1;
      const int k = c + delta;
      int y = x - k;
      while (x > 0 && y > 0 && s.a[x0 + x - 1] == s.b[y0 + y - 1]) --x, --y;
      vb[offset + c] = x;
      if (!odd && k >= -d && k <= d && x <= vf[offset + k]) {
        *mid_x = x0 + x;
        *mid_y = y0 + y;
        return true;
      }
    }
  }
  return false;
}

void CompareSeq(Sequences& s, int x0, int x1, int y0, int y1) {
  while (x0 < x1 && y0 < y1 && s.a[x0] == s.b[y0]) ++x0, ++y0;
  while (x0 < x1 && y0 < y1 && s.a[x1 - 1] == s.b[y1 - 1]) --x1, --y1;
  if (x0 == x1 || y0 == y1) {
    for (int x = x0; x < x1; ++x) s.deleted[x] = 1;
    for (int y = y0; y < y1; ++y) s.inserted[y] = 1;
    return;
  }
  int mx = 0, my = 0;
  if (!MiddlePoint(s, x0, x1, y0, y1, &mx, &my)) {
    for (int x = x0; x < x1; ++x) s.deleted[x] = 1;
    for (int y = y0; y < y1; ++y) s.inserted[y] = 1;
    return;
  }
  CompareSeq(s, x0, mx, y0, my);
  CompareSeq(s, mx, x1, my, y1);
}

std::vector<EditOp> Script(const Sequences& s) {
  std::vector<EditOp> ops;
  const int n = static_cast<int>(s.a.size()), m = static_cast<int>(s.b.size());
  int i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && s.deleted[i]) {
      ops.push_back({'-', i++, j});
    } else if (j < m && s.inserted[j]) {
      ops.push_back({'+', i, j++});
    } else {
      ops.push_back({' ', i++, j++});
    }
  }
  return ops;
}

}  // namespace

std::vector<EditOp> EditScript(const std::vector<int>& a, const std::vector<int>& b,
                               int max_cost) {
  Sequences s;
  s.a = a;
  s.b = b;
  s.max_cost = std::max(1, max_cost);
  s.deleted.assign(a.size(), 0);
  s.inserted.assign(b.size(), 0);
  CompareSeq(s, 0, static_cast<int>(a.size()), 0, static_cast<int>(b.size()));
  return Script(s);
}

std::vector<std::pair<size_t, size_t>> HunkRanges(const std::vector<EditOp>& ops, int context) {
  std::vector<std::pair<size_t, size_t>> hunks;
  const size_t ctx = static_cast<size_t>(std::max(0, context));
  size_t i = 0;
  while (i < ops.size()) {
    while (i < ops.size() && ops[i].tag == ' ') ++i;
    if (i == ops.size()) break;
    const size_t begin = i >= ctx ? i - ctx : 0;
    // Extend through changes separated by at most 2·context unchanged items.
    size_t last_change = i;
    size_t j = i;
    while (j < ops.size()) {
      if (ops[j].tag != ' ') {
        last_change = j;
      } else if (j - last_change > 2 * ctx) {
        break;
      }
      ++j;
    }
    const size_t end = std::min(ops.size(), last_change + 1 + ctx);
    hunks.emplace_back(begin, end);
    i = end;
  }
  return hunks;
}

std::vector<EditOp> EditScriptOf(const std::vector<std::string_view>& a,
                                 const std::vector<std::string_view>& b, int max_cost) {
  std::vector<int> x, y;
  x.reserve(a.size());
  y.reserve(b.size());
  std::unordered_map<std::string_view, int> ids;
  for (std::string_view s : a) x.push_back(ids.emplace(s, ids.size()).first->second);
  for (std::string_view s : b) y.push_back(ids.emplace(s, ids.size()).first->second);
  return EditScript(x, y, max_cost);
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    const size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

}  // namespace archivist::diff
