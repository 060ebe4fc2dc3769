// See html_input.h for why. The tokenizer here is deliberately rough: it only has to keep
// the parser's open-element stack bounded, and every approximation errs towards closing
// elements (our estimate of the depth is never far above the parser's on ordinary markup).
#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include "normalize/html_input.h"

namespace archivist::normalize {

namespace {

bool IsAsciiAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsTagSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

bool In(std::string_view name, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), name) != set.end();
}

bool IsVoid(std::string_view n) {
  return In(n, {"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr",
                "image", "img", "input", "keygen", "link", "meta", "param", "source", "track",
                "wbr"});
}

bool IsRawText(std::string_view n) {
  return In(n, {"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"});
}

bool ClosesP(std::string_view n) {
  return In(n, {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir",
                "div", "dl", "fieldset", "figcaption", "figure", "footer", "header", "hgroup",
                "main", "menu", "nav", "ol", "p", "search", "section", "summary", "ul", "h1",
                "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form", "table", "hr", "xmp",
                "plaintext", "li", "dd", "dt"});
}

bool IsScopeBoundary(std::string_view n) {
  return In(n, {"applet", "caption", "html", "table", "td", "th", "marquee", "object",
                "template", "button", "foreignobject", "desc", "title", "mi", "mo", "mn", "ms",
                "mtext", "annotation-xml"});
}

struct Tokenizer {
  std::string_view s;
  size_t i = 0;

  // Reads a tag name starting at i (lower-cased).
  std::string Name() {
    std::string name;
    while (i < s.size() && !IsTagSpace(s[i]) && s[i] != '/' && s[i] != '>') {
      char c = s[i++];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      name.push_back(c);
    }
    return name;
  }
  // Skips attributes up to and including '>'; returns whether the tag ended with "/>".
  bool SkipAttributes() {
    bool self_closing = false;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '>') {
        ++i;
        return self_closing;
      }
      if (c == '"' || c == '\'') {
        const size_t end = s.find(c, i + 1);
        i = end == std::string_view::npos ? s.size() : end + 1;
        self_closing = false;
        continue;
      }
      self_closing = c == '/';
      ++i;
    }
    return false;
  }
  // Skips raw text up to the end tag </name (case-insensitive), leaving i at its '<'.
  void SkipRawText(std::string_view name) {
    while (i < s.size()) {
      const size_t lt = s.find("</", i);
      if (lt == std::string_view::npos) {
        i = s.size();
        return;
      }
      size_t k = 0;
      while (k < name.size() && lt + 2 + k < s.size() &&
             (s[lt + 2 + k] | 0x20) == name[k]) {
        ++k;
      }
      if (k == name.size()) {
        i = lt;
        return;
      }
      i = lt + 2;
    }
  }
};

class Stack {
 public:
  size_t size() const { return names_.size(); }
  bool InForeign() const { return foreign_ > 0; }
  void Push(std::string name) {
    if (name == "svg" || name == "math") ++foreign_;
    ++counts_[name];
    names_.push_back(std::move(name));
  }
  // Pops up to and including the topmost `name`; false if there is none.
  bool PopTo(std::string_view name) {
    if (Count(name) == 0) return false;
    auto it = std::find(names_.rbegin(), names_.rend(), name);
    if (it == names_.rend()) return false;
    const size_t keep = names_.size() - 1 - static_cast<size_t>(it - names_.rbegin());
    while (names_.size() > keep) {
      if (names_.back() == "svg" || names_.back() == "math") --foreign_;
      --counts_[names_.back()];
      names_.pop_back();
    }
    return true;
  }
  // The topmost element among `stops` (or a scope boundary, when `scoped`), or "".
  std::string_view FirstOf(std::initializer_list<std::string_view> stops, bool scoped) const {
    bool any = false;
    for (std::string_view s : stops) any = any || Count(s) > 0;
    if (!any) return "";
    for (auto it = names_.rbegin(); it != names_.rend(); ++it) {
      if (In(*it, stops)) return *it;
      if (scoped && IsScopeBoundary(*it)) return "";
    }
    return "";
  }
  size_t Count(std::string_view name) const {
    auto it = counts_.find(std::string(name));
    return it == counts_.end() ? 0 : it->second;
  }
  std::string_view Top() const { return names_.empty() ? "" : std::string_view(names_.back()); }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, size_t> counts_;
  int foreign_ = 0;
};

// The parser's implied end tags for a start tag, roughly.
void CloseImplied(Stack* st, std::string_view name) {
  if (ClosesP(name) && st->FirstOf({"p"}, true) == "p") st->PopTo("p");
  if (name == "li" && st->FirstOf({"li", "ul", "ol", "menu"}, true) == "li") st->PopTo("li");
  if ((name == "dd" || name == "dt")) {
    std::string_view f = st->FirstOf({"dd", "dt", "dl"}, true);
    if (f == "dd" || f == "dt") st->PopTo(f);
  }
  if (name == "td" || name == "th" || name == "tr" || name == "tbody" || name == "thead" ||
      name == "tfoot" || name == "table") {
    // The innermost table-structure element decides: a cell, row or section is closed by the
    // next one of its kind or a bigger one; a <table> directly in a table closes it.
    auto innermost = [st] {
      return st->FirstOf({"td", "th", "tr", "tbody", "thead", "tfoot", "table"}, false);
    };
    std::string_view f = innermost();
    const bool in_cell = f == "td" || f == "th";
    if (name == "table") {
      if (!in_cell && !f.empty()) st->PopTo("table");
    } else {
      if (in_cell) st->PopTo(f);
      f = innermost();
      if ((name == "tr" || name == "tbody" || name == "thead" || name == "tfoot") && f == "tr") {
        st->PopTo("tr");
        f = innermost();
      }
      if ((name == "tbody" || name == "thead" || name == "tfoot") &&
          (f == "tbody" || f == "thead" || f == "tfoot")) {
        st->PopTo(f);
      }
      // The parser inserts the <tbody> and <tr> that markup leaves out.
      f = innermost();
      if (f == "table" && name != "tbody" && name != "thead" && name != "tfoot") {
        st->Push("tbody");
        f = "tbody";
      }
      if ((f == "tbody" || f == "thead" || f == "tfoot") && (name == "td" || name == "th")) {
        st->Push("tr");
      }
    }
  }
  if (name == "option" || name == "optgroup") {
    if (st->Top() == "option") st->PopTo("option");
  }
  if ((name == "a" || name == "nobr" || name == "button") && st->FirstOf({name}, false) == name) {
    st->PopTo(name);
  }
  if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
    std::string_view top = st->Top();
    if (top.size() == 2 && top[0] == 'h' && top[1] >= '1' && top[1] <= '6') st->PopTo(top);
  }
}

// After "<!" or "<?" (t->i at the '!' or '?'): skips a comment, doctype or processing
// instruction to just past its end, or to the end of the input.
void SkipDeclaration(Tokenizer* t) {
  const std::string_view html = t->s;
  const bool comment = html.substr(t->i, 3) == "!--";
  const size_t end = html.find(comment ? "-->" : ">", t->i + 1);
  t->i = end == std::string_view::npos ? html.size() : end + (comment ? 3 : 1);
}

// What a start tag does to the open elements (ReadStartTag).
enum class StartTag {
  kPlaintext,  // <plaintext>: the rest of the input is text
  kNoElement,  // nothing stays open: a raw-text element (skipped whole), a void element, or
               // a self-closed one in foreign content
  kOpens,      // the element `name` opens
};

// After "<" and a letter (t->i at the letter): reads the tag's name and attributes, skips a
// raw-text element's content and closes the elements the tag closes implicitly.
StartTag ReadStartTag(Tokenizer* t, Stack* st, std::string* name) {
  *name = t->Name();
  const bool self_closing = t->SkipAttributes();
  if (*name == "plaintext") return StartTag::kPlaintext;
  if (IsRawText(*name)) {
    t->SkipRawText(*name);
    return StartTag::kNoElement;
  }
  CloseImplied(st, *name);
  if (IsVoid(*name) || (self_closing && st->InForeign())) return StartTag::kNoElement;
  return StartTag::kOpens;
}

bool ContainsDirEndTag(std::string_view html) {
  for (size_t at = html.find("</"); at != std::string_view::npos; at = html.find("</", at + 2)) {
    if (html.size() - at >= 5 && (html[at + 2] | 0x20) == 'd' && (html[at + 3] | 0x20) == 'i' &&
        (html[at + 4] | 0x20) == 'r') {
      return true;
    }
  }
  return false;
}

}  // namespace

size_t LimitNesting(std::string_view html, size_t max_depth, std::string* limited) {
  size_t dropped_tags = 0;
  if (static_cast<size_t>(std::count(html.begin(), html.end(), '<')) <= max_depth &&
      !ContainsDirEndTag(html)) {
    return 0;
  }
  Tokenizer t{html};
  Stack st;
  std::unordered_map<std::string, size_t> dropped_open;
  std::string out;
  size_t copied = 0;  // html[copied, …) not yet appended to out
  auto drop = [&](size_t from, size_t to) {
    out.append(html.substr(copied, from - copied));
    copied = to;
    ++dropped_tags;
  };
  while (t.i < html.size()) {
    const size_t lt = html.find('<', t.i);
    if (lt == std::string_view::npos || lt + 1 >= html.size()) break;
    t.i = lt + 1;
    const char c = html[t.i];
    if (c == '!' || c == '?') {  // comments, doctypes, processing instructions
      SkipDeclaration(&t);
    } else if (c == '/' && t.i + 1 < html.size() && IsAsciiAlpha(html[t.i + 1])) {
      ++t.i;
      const std::string name = t.Name();
      t.SkipAttributes();
      auto it = dropped_open.find(name);
      if (it != dropped_open.end() && it->second > 0) {
        --it->second;
        drop(lt, t.i);
      } else if (!st.PopTo(name) && name == kWrapperTag) {
        drop(lt, t.i);  // would close the parser's wrapper (dom.cc); the reference ignores it
      }
    } else if (IsAsciiAlpha(c)) {
      std::string name;
      const StartTag tag = ReadStartTag(&t, &st, &name);
      if (tag == StartTag::kPlaintext) break;
      if (tag != StartTag::kOpens) continue;
      if (st.size() >= max_depth) {
        ++dropped_open[name];
        drop(lt, t.i);
      } else {
        st.Push(name);
      }
    }
  }
  if (dropped_tags == 0) return 0;
  out.append(html.substr(copied));
  *limited = std::move(out);
  return dropped_tags;
}

size_t NextTopLevelMarkup(std::string_view html, size_t from, size_t at_least) {
  Tokenizer t{html};
  t.i = from;
  Stack st;
  while (t.i < html.size()) {
    const size_t lt = html.find('<', t.i);
    if (lt == std::string_view::npos || lt + 1 >= html.size()) break;
    if (lt >= at_least && st.size() == 0) return lt;
    t.i = lt + 1;
    const char c = html[t.i];
    if (c == '!' || c == '?') {  // comments, doctypes, processing instructions
      SkipDeclaration(&t);
    } else if (c == '/' && t.i + 1 < html.size() && IsAsciiAlpha(html[t.i + 1])) {
      ++t.i;
      const std::string name = t.Name();
      t.SkipAttributes();
      st.PopTo(name);
    } else if (IsAsciiAlpha(c)) {
      std::string name;
      const StartTag tag = ReadStartTag(&t, &st, &name);
      if (tag == StartTag::kPlaintext) break;
      if (tag == StartTag::kOpens) st.Push(name);
    }
  }
  return html.size();
}

std::string LimitNesting(std::string_view html, size_t max_depth, size_t* dropped) {
  std::string out;
  *dropped = LimitNesting(html, max_depth, &out);
  return *dropped != 0 ? out : std::string(html);
}

}  // namespace archivist::normalize
