// The fast path's parser: one left-to-right pass that tokenizes and builds the tree at once.
//
// HTML5 tree construction is simple for most of what Zhihu serves: in the "in body"
// insertion mode, a start tag of an ordinary element inserts it into the current node, its
// matching end tag pops it, text is appended to the current node. The hard parts of the
// algorithm — implied end tags, the adoption agency, foster parenting, reconstruction of
// active formatting elements, raw-text and foreign content, the many per-element special
// cases — are all triggered by constructs this parser refuses. It keeps, per open element,
// just the facts that decide whether a start tag would trigger one of them:
//   - p_scope: a <p> is open in button scope (so a block start tag would close it);
//   - in_a / in_heading: an <a> / a heading is open (nested <a> runs the adoption agency; a
//     heading start tag in a heading closes it);
// and the element's role in table structure (table > caption | thead/tbody/tfoot > tr >
// td/th), since anything else inside a table is foster-parented or implies elements.
// Formatting elements (b, i, code, …) stay safe because every end tag must close the current
// node: the list of active formatting elements then always mirrors open elements, so it is
// never reconstructed, and the adoption agency on the current node just pops it.
//
// The input stream is checked first: a character the input stream or tokenizer treats
// specially (NUL, CR, form feed) makes it bail out, so text is copied as it is. Character references are
// decoded for the five XML names, &nbsp; and numeric references with ';'.
#include "normalize/fast_parse.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "base/utf8.h"
#include "normalize/html_input.h"

namespace archivist::normalize {

namespace {

enum Flag : uint8_t {
  kClosesP = 1 << 0,    // on the spec's "close a p element" start-tag lists
  kVoid = 1 << 1,       // no end tag; may be written "/>"
  kHeading = 1 << 2,    // h1–h6
  kScope = 1 << 3,      // ends button scope (table, caption, td, th)
  kList = 1 << 4,       // ul, ol: the only parents an <li> may have here
  kTableOnly = 1 << 5,  // caption … th: only as the right child of a table-context element
  kTableCtx = 1 << 6,   // table, thead/tbody/tfoot, tr: text and other elements are fostered
};

enum class Role : uint8_t { kNone, kA, kLi, kPre, kTable, kCaption, kSection, kRow, kCell };

struct ElementInfo {
  std::string_view name;
  uint8_t flags;
  Role role;
};

// The accepted elements, the most frequent first (lookup is linear); <p> must be first.
constexpr int kP = 0;
constexpr ElementInfo kElements[] = {
    {"p", kClosesP, Role::kNone}, {"b", 0, Role::kNone}, {"a", 0, Role::kA},
    {"img", kVoid, Role::kNone}, {"figure", kClosesP, Role::kNone},
    {"noscript", 0, Role::kNone}, {"br", kVoid, Role::kNone}, {"span", 0, Role::kNone},
    {"li", kClosesP, Role::kLi}, {"h1", kClosesP | kHeading, Role::kNone},
    {"h2", kClosesP | kHeading, Role::kNone}, {"h3", kClosesP | kHeading, Role::kNone},
    {"h4", kClosesP | kHeading, Role::kNone}, {"h5", kClosesP | kHeading, Role::kNone},
    {"h6", kClosesP | kHeading, Role::kNone}, {"i", 0, Role::kNone},
    {"blockquote", kClosesP, Role::kNone}, {"hr", kClosesP | kVoid, Role::kNone},
    {"figcaption", kClosesP, Role::kNone}, {"ol", kClosesP | kList, Role::kNone},
    {"ul", kClosesP | kList, Role::kNone}, {"u", 0, Role::kNone}, {"sup", 0, Role::kNone},
    {"sub", 0, Role::kNone}, {"div", kClosesP, Role::kNone}, {"pre", kClosesP, Role::kPre},
    {"code", 0, Role::kNone}, {"strong", 0, Role::kNone}, {"em", 0, Role::kNone},
    {"s", 0, Role::kNone}, {"del", 0, Role::kNone}, {"strike", 0, Role::kNone},
    {"small", 0, Role::kNone}, {"big", 0, Role::kNone}, {"mark", 0, Role::kNone},
    {"wbr", kVoid, Role::kNone}, {"section", kClosesP, Role::kNone},
    {"article", kClosesP, Role::kNone}, {"header", kClosesP, Role::kNone},
    {"footer", kClosesP, Role::kNone}, {"nav", kClosesP, Role::kNone},
    {"aside", kClosesP, Role::kNone}, {"main", kClosesP, Role::kNone},
    {"table", kClosesP | kScope | kTableCtx, Role::kTable},
    {"caption", kScope | kTableOnly, Role::kCaption},
    {"thead", kTableOnly | kTableCtx, Role::kSection},
    {"tbody", kTableOnly | kTableCtx, Role::kSection},
    {"tfoot", kTableOnly | kTableCtx, Role::kSection},
    {"tr", kTableOnly | kTableCtx, Role::kRow}, {"td", kScope | kTableOnly, Role::kCell},
    {"th", kScope | kTableOnly, Role::kCell},
};
constexpr size_t kElementCount = sizeof(kElements) / sizeof(kElements[0]);
constexpr uint8_t kRootElement = 0xFF;  // the wrapper <dir id="turndown-root">
constexpr size_t kMaxNameLength = 10;   // "blockquote", "figcaption"

const std::array<Tag, kElementCount>& DomTags() {
  static const auto tags = [] {
    std::array<Tag, kElementCount> t{};
    for (size_t i = 0; i < kElementCount; ++i) t[i] = TagFromName(kElements[i].name);
    return t;
  }();
  return tags;
}

// Index in kElements of a lower-case name, or -1.
int Lookup(std::string_view name) {
  for (size_t i = 0; i < kElementCount; ++i) {
    if (kElements[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n'; }  // FF, CR: never accepted
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool IsAttrNameChar(char c) { return IsAlnum(c) || c == '-' || c == '_' || c == ':' || c == '.'; }

// False if the input holds a character the input stream or tokenizer treats specially: NUL
// (dropped or replaced, by context), CR (normalized to LF) and form feed (white space this
// parser does not take as such). Other controls, C1 controls and noncharacters are ordinary
// characters to an HTML5 parser (gumbo's input stream would turn them into U+FFFD, which
// ParseTurndownRoot undoes: gumbo_escape.h).
bool PlainInputStream(std::string_view s) {
  if (s.empty()) return true;
  for (const char special : {'\0', '\r', '\f'}) {
    if (std::memchr(s.data(), special, s.size()) != nullptr) return false;
  }
  return true;
}

// The code point a numeric character reference's value stands for (HTML5: 0, surrogates and
// values beyond U+10FFFF become U+FFFD, 0x80–0x9F are read as windows-1252), or 0 when the
// result is a character we do not accept (controls, noncharacters).
uint32_t NumericRefValue(uint32_t v) {
  static constexpr uint16_t kC1[32] = {
      0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
  if (v == 0 || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) return 0xFFFD;
  if (v >= 0x80 && v <= 0x9F) v = kC1[v - 0x80];
  if ((v < 0x20 && v != '\t' && v != '\n') || (v >= 0x7F && v <= 0x9F)) return 0;
  if ((v >= 0xFDD0 && v <= 0xFDEF) || (v & 0xFFFE) == 0xFFFE) return 0;
  return v;
}

struct Open {
  NodeId node;
  uint8_t element;  // index in kElements, or kRootElement
  bool p_scope;
  bool in_a;
  bool in_heading;
};

class FastParser {
 public:
  FastParser(std::string_view s, Dom* dom) : s_(s), dom_(dom) {}

  bool Run() {
    const NodeId root = dom_->NewElement(Tag::kDir);
    dom_->AddAttr(root, "id", "turndown-root");
    dom_->set_root(root);
    stack_.push_back({root, kRootElement, false, false, false});
    while (i_ < s_.size()) {
      if (s_[i_] != '<') {
        if (!Text()) return false;
      } else if (!Markup()) {
        return false;
      }
    }
    FlushText();
    return true;
  }

 private:
  uint8_t Flags(const Open& o) const {
    return o.element == kRootElement ? 0 : kElements[o.element].flags;
  }
  Role RoleOf(const Open& o) const {
    return o.element == kRootElement ? Role::kNone : kElements[o.element].role;
  }
  bool InTableContext() const { return Flags(stack_.back()) & kTableCtx; }

  // The text at the end of the current node. It is collected here and becomes a node when
  // the next node is made (FlushText), so that its bytes are stored once.
  std::string& TextSink() {
    const NodeId parent = stack_.back().node;
    if (pending_parent_ != parent) {
      FlushText();
      pending_parent_ = parent;
    }
    return pending_;
  }

  void FlushText() {
    if (pending_parent_ != kNoNode && !pending_.empty()) {
      dom_->AppendChild(pending_parent_, dom_->NewText(pending_));
    }
    pending_.clear();
    pending_parent_ = kNoNode;
  }

  // Text up to the next '<' (or a literal '<'), at s_[i_].
  bool Text() {
    const size_t start = i_;
    if (InTableContext()) {  // only inter-element white space; anything else is fostered
      while (i_ < s_.size() && IsSpace(s_[i_])) ++i_;
      if (i_ < s_.size() && s_[i_] != '<') return false;
      TextSink().append(s_.substr(start, i_ - start));
      return true;
    }
    std::string& out = TextSink();
    while (i_ < s_.size() && s_[i_] != '<') {
      size_t end = i_;
      while (end < s_.size() && s_[end] != '<' && s_[end] != '&') ++end;
      out.append(s_.substr(i_, end - i_));
      i_ = end;
      if (i_ < s_.size() && s_[i_] == '&' && !CharRef(&out)) return false;
    }
    return true;
  }

  // A character reference at s_[i_] == '&', appended to *out.
  bool CharRef(std::string* out) {
    const size_t n = s_.size();
    size_t p = i_ + 1;
    if (p >= n || (s_[p] != '#' && !IsAlnum(s_[p]))) {  // not a reference: a literal '&'
      out->push_back('&');
      ++i_;
      return true;
    }
    if (s_[p] == '#') {
      ++p;
      const bool hex = p < n && (s_[p] == 'x' || s_[p] == 'X');
      if (hex) ++p;
      uint64_t v = 0;
      size_t digits = 0;
      for (; p < n; ++p, ++digits) {
        const char c = Lower(s_[p]);
        int d = IsDigit(c) ? c - '0' : (hex && c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
        if (d < 0) break;
        v = v * (hex ? 16 : 10) + static_cast<uint64_t>(d);
        if (v > 0x7FFFFFFF) return false;  // gumbo's int would overflow
      }
      if (digits == 0 || p >= n || s_[p] != ';') return false;
      const uint32_t cp = NumericRefValue(static_cast<uint32_t>(v));
      if (cp == 0) return false;
      AppendUtf8(out, static_cast<char32_t>(cp));
      i_ = p + 1;
      return true;
    }
    size_t end = p;
    while (end < n && end - p <= 4 && IsAlnum(s_[end])) ++end;
    if (end >= n || s_[end] != ';') return false;
    const std::string_view name = s_.substr(p, end - p);
    if (name == "amp") out->push_back('&');
    else if (name == "lt") out->push_back('<');
    else if (name == "gt") out->push_back('>');
    else if (name == "quot") out->push_back('"');
    else if (name == "apos") out->push_back('\'');
    else if (name == "nbsp") out->append("\xC2\xA0");
    else return false;
    i_ = end + 1;
    return true;
  }

  // Markup at s_[i_] == '<'.
  bool Markup() {
    const size_t n = s_.size();
    if (i_ + 1 >= n) return false;
    const char c = s_[i_ + 1];
    if (IsAlpha(c)) return StartTag();
    if (c == '/') return i_ + 2 < n && IsAlpha(s_[i_ + 2]) && EndTag();
    if (c == '!') return s_.substr(i_, 4) == "<!--" && Comment();
    if (c == '?' || InTableContext()) return false;
    TextSink().push_back('<');  // "<" not starting a tag is text
    ++i_;
    return true;
  }

  // A tag name at s_[i_]: its index in kElements, or -1.
  int TagName() {
    char lower[kMaxNameLength];
    size_t len = 0;
    for (; i_ < s_.size() && IsAlnum(s_[i_]); ++i_) {
      if (len == kMaxNameLength) return -1;
      lower[len++] = Lower(s_[i_]);
    }
    if (i_ >= s_.size() || !(IsSpace(s_[i_]) || s_[i_] == '>' || s_[i_] == '/')) return -1;
    return Lookup(std::string_view(lower, len));
  }

  bool StartTag() {
    FlushText();
    ++i_;
    const int element = TagName();
    if (element < 0) return false;
    std::vector<std::pair<std::string, std::string>> attrs;
    bool self_closing = false;
    if (!Attributes(&attrs, &self_closing)) return false;
    const ElementInfo& info = kElements[element];
    if (self_closing && !(info.flags & kVoid)) return false;
    if ((info.flags & kClosesP) && stack_.back().p_scope) {
      // "Close a p element" (Zhihu writes <p><figure>): only when the <p> is the current
      // node, so that it is all that closes. (<table> does not close it in quirks mode.)
      if (stack_.back().element != kP || info.role == Role::kTable) return false;
      stack_.pop_back();
    }
    if (!Allowed(info)) return false;
    const NodeId id = dom_->NewElement(DomTags()[element]);
    for (const auto& [name, value] : attrs) dom_->AddAttr(id, name, value);
    dom_->AppendChild(stack_.back().node, id);
    if (info.flags & kVoid) return true;
    // At most kMaxDepth - 1 open elements: LimitNesting leaves such input as it is.
    if (stack_.size() >= kMaxDepth) return false;
    const Open& parent = stack_.back();
    stack_.push_back({id, static_cast<uint8_t>(element),
                      element == kP || (parent.p_scope && !(info.flags & kScope)),
                      parent.in_a || info.role == Role::kA,
                      parent.in_heading || (info.flags & kHeading)});
    if (info.role == Role::kPre && i_ < s_.size()) {
      if (s_[i_] == '\n') ++i_;  // the newline right after <pre> is dropped
      else if (s_[i_] == '&') return false;
    }
    return true;
  }

  // Whether inserting `e` into the current node is plain insertion.
  bool Allowed(const ElementInfo& e) const {
    const Open& cur = stack_.back();
    const uint8_t flags = Flags(cur);
    if (flags & kTableCtx) {
      switch (RoleOf(cur)) {
        case Role::kTable: return e.role == Role::kCaption || e.role == Role::kSection;
        case Role::kSection: return e.role == Role::kRow;
        case Role::kRow: return e.role == Role::kCell;
        default: return false;
      }
    }
    if (e.flags & kTableOnly) return false;
    if ((e.flags & kClosesP) && cur.p_scope) return false;
    if ((e.flags & kHeading) && cur.in_heading) return false;
    if (e.role == Role::kLi && !(flags & kList)) return false;
    if (e.role == Role::kA && cur.in_a) return false;
    return true;
  }

  bool Attributes(std::vector<std::pair<std::string, std::string>>* attrs, bool* self_closing) {
    const size_t n = s_.size();
    while (true) {
      const size_t before = i_;
      while (i_ < n && IsSpace(s_[i_])) ++i_;
      if (i_ >= n) return false;
      if (s_[i_] == '>') {
        ++i_;
        return true;
      }
      if (s_[i_] == '/') {
        if (i_ + 1 >= n || s_[i_ + 1] != '>') return false;
        *self_closing = true;
        i_ += 2;
        return true;
      }
      if (i_ == before) return false;  // attributes must be separated by white space
      std::string name;
      for (; i_ < n && IsAttrNameChar(s_[i_]); ++i_) name.push_back(Lower(s_[i_]));
      if (name.empty()) return false;
      const size_t after_name = i_;
      while (i_ < n && IsSpace(s_[i_])) ++i_;
      std::string value;
      if (i_ < n && s_[i_] == '=') {
        ++i_;
        while (i_ < n && IsSpace(s_[i_])) ++i_;
        if (!Value(&value)) return false;
      } else {
        i_ = after_name;
      }
      bool duplicate = false;
      for (const auto& a : *attrs) duplicate = duplicate || a.first == name;
      if (!duplicate) attrs->push_back({std::move(name), std::move(value)});
    }
  }

  // An attribute value at s_[i_]: quoted, or unquoted without anything unusual.
  bool Value(std::string* out) {
    const size_t n = s_.size();
    if (i_ >= n) return false;
    const char quote = s_[i_];
    if (quote == '"' || quote == '\'') {
      ++i_;
      const size_t end = s_.find(quote, i_);
      if (end == std::string_view::npos) return false;
      while (i_ < end) {
        size_t run = i_;
        while (run < end && s_[run] != '&') ++run;
        out->append(s_.substr(i_, run - i_));
        i_ = run;
        if (i_ < end && !CharRef(out)) return false;
      }
      if (i_ != end) return false;  // a reference ran past the quote
      ++i_;
      return true;
    }
    const size_t start = i_;
    while (i_ < n && !IsSpace(s_[i_]) && s_[i_] != '>') {
      const char c = s_[i_];
      if (c == '"' || c == '\'' || c == '<' || c == '=' || c == '`' || c == '/') return false;
      if (c == '&') {
        if (!CharRef(out)) return false;
      } else {
        out->push_back(c);
        ++i_;
      }
    }
    return i_ > start;
  }

  bool EndTag() {
    FlushText();
    i_ += 2;
    const int element = TagName();
    if (element < 0) return false;
    while (i_ < s_.size() && IsSpace(s_[i_])) ++i_;
    if (i_ >= s_.size() || s_[i_] != '>') return false;
    ++i_;
    if (element == kP && !stack_.back().p_scope && !InTableContext()) {
      // A </p> with no <p> open in button scope inserts an empty <p> (the end of
      // <p><figure>…</figure></p>).
      dom_->AppendChild(stack_.back().node, dom_->NewElement(Tag::kP));
      return true;
    }
    if (stack_.size() < 2 || stack_.back().element != element) return false;
    stack_.pop_back();
    return true;
  }

  // "<!--" at s_[i_]; only comments that every version of the tokenizer reads alike.
  bool Comment() {
    const size_t start = i_ + 4;
    const size_t end = s_.find("-->", start);
    if (end == std::string_view::npos) return false;
    const std::string_view data = s_.substr(start, end - start);
    if (!data.empty() && (data.front() == '-' || data.front() == '>' || data.back() == '-')) {
      return false;
    }
    if (data.find("--") != std::string_view::npos || data.find("<!") != std::string_view::npos) {
      return false;
    }
    FlushText();
    dom_->AppendChild(stack_.back().node, dom_->NewComment(data));
    i_ = end + 3;
    return true;
  }

  std::string_view s_;
  Dom* dom_;
  size_t i_ = 0;
  std::vector<Open> stack_;
  std::string pending_;  // text of pending_parent_ not yet made a node
  NodeId pending_parent_ = kNoNode;
};

}  // namespace

bool FastParse(std::string_view html, Dom* dom) {
  if (!PlainInputStream(html)) return false;
  *dom = Dom();
  // Every attribute with a value has an '=' (and most have one).
  dom->ReserveAttrs(static_cast<size_t>(std::count(html.begin(), html.end(), '=')) + 1);
  FastParser parser(html, dom);
  return parser.Run();
}

Dom ParseAnswerHtml(std::string_view html, bool* fast) {
  Dom dom;
  const bool ok = FastParse(html, &dom);
  if (fast) *fast = ok;
  if (ok) return dom;
  std::string limited;
  return ParseTurndownRoot(LimitNesting(html, kMaxDepth, &limited) != 0 ? std::string_view(limited)
                                                                        : html);
}

}  // namespace archivist::normalize
