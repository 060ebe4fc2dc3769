// Parsing with gumbo, a segment at a time, into our Dom.
//
// gumbo's own tree costs about 200 bytes a node, so dense markup (a node every ten bytes)
// parsed whole takes some 25 bytes of memory a byte of input. A long input is therefore
// parsed in segments of about kSegmentBytes, each by a fresh parser whose tree is copied into
// ours and freed before the next one is built.
//
// Why that gives the tree of one parse of the whole: HTML5 tree construction is a state
// machine. If, where a segment ends, the parse of the whole would be in the data state of the
// tokenizer, in the "in body" insertion mode with only the wrapper open (<html>, <body>, the
// root), no active formatting element, no form element pointer and the frameset-ok flag "not
// ok", then a fresh parser that has read `x<dir id="turndown-root">` (the `x` sets
// frameset-ok to "not ok") is in the same state, and parses the rest exactly as the whole
// parse does. A segment's boundaries are always at a '<' (so no character reference and no
// CRLF straddles one), and a segment is parsed followed by a probe, `<!--S-->` + a private-use
// text + `<form></form>`, whose place in the tree shows that state: the comment lands in the
// root only in "in body" and the data state (after </body> it goes to <html>; in a tag,
// comment or raw text it is swallowed); the text lands in the root only when the root is the
// current node and no formatting element is reconstructed; the form is made only when the
// form element pointer is null (the end tag resets it). frameset-ok is taken as "not ok" once
// the tree holds text that reached an ordinary element: until then no segment ends. When the
// probe fails, the same segment is parsed again to twice its length, and so on; an input that
// never comes back to that state (an element left open from its start) is parsed whole, as
// before. The probe's nodes are not copied. Text at the seam of two segments is merged, as
// one parse merges text around a tag that made no node (a stray end tag).
#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "normalize/dom.h"
#include "normalize/gumbo_escape.h"
#include "normalize/html_input.h"

namespace archivist::normalize {

namespace {

struct GumboOutputDeleter {
  void operator()(GumboOutput* out) const { gumbo_destroy_output(&kGumboDefaultOptions, out); }
};
using GumboOutputPtr = std::unique_ptr<GumboOutput, GumboOutputDeleter>;

constexpr std::string_view kProbeComment = "S";
constexpr std::string_view kProbeText = "\xEE\x80\x80S";  // U+E000 S
constexpr std::string_view kProbe = "<!--S-->\xEE\x80\x80S<form></form>";

// GumboTag → Tag, computed once.
const std::array<Tag, GUMBO_TAG_LAST + 1>& GumboTagTable() {
  static const auto table = [] {
    std::array<Tag, GUMBO_TAG_LAST + 1> t{};
    for (int g = 0; g < GUMBO_TAG_LAST; ++g) {
      t[g] = TagFromName(gumbo_normalized_tagname(static_cast<GumboTag>(g)));
    }
    t[GUMBO_TAG_LAST] = Tag::kOther;
    return t;
  }();
  return table;
}

// The Tag of an element gumbo does not know, from its name in the source text.
Tag UnknownTagOf(const GumboElement& e) {
  GumboStringPiece piece = e.original_tag;
  gumbo_tag_from_original_text(&piece);
  if (piece.length == 0 || piece.length > 16) return Tag::kOther;
  char lower[17];
  for (size_t i = 0; i < piece.length; ++i) {
    char c = piece.data[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  return TagFromName(std::string_view(lower, piece.length));
}

bool IsTextLike(const GumboNode* n) {
  return n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
         n->type == GUMBO_NODE_CDATA;
}

// First element, in document order, with id="turndown-root".
const GumboNode* FindRoot(const GumboNode* doc) {
  std::vector<const GumboNode*> stack = {doc};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT &&
        n->type != GUMBO_NODE_TEMPLATE) {
      continue;
    }
    if (n->type != GUMBO_NODE_DOCUMENT) {
      const GumboAttribute* id = gumbo_get_attribute(&n->v.element.attributes, "id");
      if (id && std::strcmp(id->value, "turndown-root") == 0) return n;
      if (n->type == GUMBO_NODE_TEMPLATE) continue;  // content is not in the tree
    }
    const GumboVector& kids =
        n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
    for (unsigned i = kids.length; i-- > 0;) stack.push_back(static_cast<GumboNode*>(kids.data[i]));
  }
  return nullptr;
}

// The elements under `root` that gumbo does not know, with their Tag: names in the source
// text are all the copy reads from the input buffer, so that it can be freed first.
using UnknownTags = std::unordered_map<const GumboNode*, Tag>;
UnknownTags ResolveUnknownTags(const GumboNode* root, size_t* attributes) {
  UnknownTags out;
  *attributes = 0;
  std::vector<const GumboNode*> stack = {root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) continue;
    if (n->v.element.tag == GUMBO_TAG_UNKNOWN) out[n] = UnknownTagOf(n->v.element);
    *attributes += n->v.element.attributes.length;
    if (n->type == GUMBO_NODE_TEMPLATE) continue;  // its content is not copied
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) stack.push_back(static_cast<GumboNode*>(kids.data[i]));
  }
  return out;
}

const GumboNode* Child(const GumboNode* n, unsigned i) {
  return static_cast<const GumboNode*>(n->v.element.children.data[i]);
}

// Whether the last three children of gumbo's root are the probe, as a clean state leaves it.
bool ProbeLandedInRoot(const GumboNode* root) {
  const GumboVector& kids = root->v.element.children;
  if (kids.length < 3) return false;
  const GumboNode* comment = Child(root, kids.length - 3);
  const GumboNode* text = Child(root, kids.length - 2);
  const GumboNode* form = Child(root, kids.length - 1);
  return comment->type == GUMBO_NODE_COMMENT && comment->v.text.text == kProbeComment &&
         text->type == GUMBO_NODE_TEXT && text->v.text.text == kProbeText &&
         form->type == GUMBO_NODE_ELEMENT && form->v.element.tag == GUMBO_TAG_FORM &&
         form->v.element.children.length == 0 && form->v.element.attributes.length == 0;
}

// Whether the tree under `root` (but its last `skip` children) holds text that reached an
// ordinary element, so that the parse has set frameset-ok to "not ok": non-white-space text
// whose parent is the root or a known HTML element other than raw-text ones.
bool HasBodyText(const GumboNode* root, unsigned skip) {
  std::vector<const GumboNode*> stack;
  for (unsigned i = 0; i + skip < root->v.element.children.length; ++i) {
    stack.push_back(Child(root, i));
  }
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT) {
      const GumboNode* p = n->parent;
      if (p == root) return true;
      const GumboElement& e = p->v.element;
      const Tag t = e.tag == GUMBO_TAG_UNKNOWN ? Tag::kOther : GumboTagTable()[e.tag];
      if (e.tag_namespace == GUMBO_NAMESPACE_HTML && t != Tag::kOther && t != Tag::kScript &&
          t != Tag::kStyle && t != Tag::kNoframes && t != Tag::kTemplate) {
        return true;
      }
    } else if (n->type == GUMBO_NODE_ELEMENT) {
      for (unsigned i = 0; i < n->v.element.children.length; ++i) stack.push_back(Child(n, i));
    }
  }
  return false;
}

// One gumbo parse of `segment`, wrapped as the whole input is (after the first segment, with
// the `x` that makes frameset-ok "not ok"), and followed by the probe unless it is the last.
class SegmentParse {
 public:
  SegmentParse(std::string_view segment, bool first, bool last) {
    // Characters gumbo would decode differently from an HTML5 parser travel escaped
    // (gumbo_escape.h).
    std::string escaped;
    escapes_ = EscapeForGumbo(segment, &escaped);
    if (escapes_) segment = escaped;
    // turndown parses '<x-turndown id="turndown-root">' + html + '</x-turndown>'; see
    // kWrapperTag for why the wrapper is opened as a <dir> here. The end tag stays as it is:
    // inside an unclosed <textarea> or <script> it is text, and elsewhere it only pops.
    std::string wrapped;
    wrapped.reserve(segment.size() + 64);
    wrapped.append(first ? "" : "x").append("<dir id=\"turndown-root\">").append(segment);
    wrapped.append(last ? std::string_view("</x-turndown>") : kProbe);
    std::string().swap(escaped);
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 0;  // recording an error copies the open-element stack: no errors
    out_.reset(gumbo_parse_with_options(&options, wrapped.data(), wrapped.size()));
    root_ = FindRoot(out_->document);
    clean_ = last || (root_ != nullptr && ProbeLandedInRoot(root_));
    body_text_ = !last && clean_ && HasBodyText(root_, 3);
    // gumbo's texts and attributes are its own copies; only the names of unknown elements
    // point into the input, so those are read now and the input freed before our tree grows.
    if (root_ != nullptr && clean_) unknown_ = ResolveUnknownTags(root_, &attributes_);
  }

  // The probe shows the state where a cut leaves the tree as it is (the last segment: true).
  bool clean() const { return clean_; }
  // This segment's parse has set frameset-ok to "not ok" (non-last segments only).
  bool body_text() const { return body_text_; }

  // Copies the root's children (and, for the first segment, the root itself) into `dom`,
  // without the probe. Returns the first node made.
  NodeId CopyInto(Dom* dom, bool last) const {
    const NodeId first_new = static_cast<NodeId>(dom->size());
    if (dom->root() == kNoNode) {
      dom->ReserveAttrs(attributes_);  // later segments let the table grow
      dom->set_root(root_ != nullptr ? NewElementFrom(dom, root_) : dom->NewElement(Tag::kOther));
    }
    if (root_ == nullptr) return first_new;  // cannot happen with the wrapper
    const unsigned probe = last ? 0 : 3;
    std::vector<std::pair<const GumboNode*, NodeId>> todo;
    CopyChildren(dom, root_, dom->root(), root_->v.element.children.length - probe, &todo);
    while (!todo.empty()) {  // iterative: (gumbo node, our node) pairs left to fill
      auto [g, parent] = todo.back();
      todo.pop_back();
      if (g->type == GUMBO_NODE_TEMPLATE) continue;
      CopyChildren(dom, g, parent, g->v.element.children.length, &todo);
    }
    return first_new;
  }

 private:
  // A string of gumbo's tree with EscapeForGumbo undone (in *buffer when it had any).
  std::string_view Restored(const char* s, std::string* buffer) const {
    if (!escapes_ || std::strstr(s, "\xF4\x8F\xBF\xBD") == nullptr) return s;
    buffer->assign(s);
    RestoreEscapes(buffer);
    return *buffer;
  }

  NodeId NewElementFrom(Dom* dom, const GumboNode* g) const {
    const GumboElement& e = g->v.element;
    Tag tag = Tag::kOther;
    if (e.tag != GUMBO_TAG_UNKNOWN) {
      tag = GumboTagTable()[e.tag];
    } else if (auto it = unknown_.find(g); it != unknown_.end()) {
      tag = it->second;
    }
    const NodeId id = dom->NewElement(tag, e.tag_namespace == GUMBO_NAMESPACE_HTML);
    std::string name, value;
    for (unsigned i = 0; i < e.attributes.length; ++i) {
      const auto* a = static_cast<const GumboAttribute*>(e.attributes.data[i]);
      dom->AddAttr(id, Restored(a->name, &name), Restored(a->value, &value));
    }
    return id;
  }

  void CopyChildren(Dom* dom, const GumboNode* g, NodeId parent, unsigned count,
                    std::vector<std::pair<const GumboNode*, NodeId>>* todo) const {
    Dom& d = *dom;
    std::string buffer;
    for (unsigned i = 0; i < count; ++i) {
      const GumboNode* c = Child(g, i);
      if (IsTextLike(c)) {
        const std::string_view text = Restored(c->v.text.text, &buffer);
        const NodeId last = d[parent].last_child;
        if (last != kNoNode && d[last].type == NodeType::kText) {
          d.AppendText(last, text);
        } else {
          d.AppendChild(parent, d.NewText(text));
        }
      } else if (c->type == GUMBO_NODE_COMMENT) {
        d.AppendChild(parent, d.NewComment(Restored(c->v.text.text, &buffer)));
      } else if (c->type == GUMBO_NODE_ELEMENT || c->type == GUMBO_NODE_TEMPLATE) {
        const NodeId id = NewElementFrom(dom, c);
        d.AppendChild(parent, id);
        todo->push_back({c, id});
      }
    }
  }

  GumboOutputPtr out_;
  const GumboNode* root_ = nullptr;
  bool escapes_ = false;
  bool clean_ = false;
  bool body_text_ = false;
  UnknownTags unknown_;
  size_t attributes_ = 0;
};

}  // namespace

Dom ParseTurndownRoot(std::string_view html, size_t segment_bytes, size_t* segments) {
  Dom dom;
  size_t parsed = 0;
  bool body_text = false;  // frameset-ok is "not ok" where the next segment starts
  size_t pos = 0;
  do {
    // A cut is tried at the first top-level '<' (by a rough reading) `segment_bytes` on and
    // at the next one; if the probe refuses both, or no text has set frameset-ok yet, twice
    // as far. The last segment needs no probe.
    size_t length = std::max<size_t>(segment_bytes, 1);
    size_t end = NextTopLevelMarkup(html, pos, pos + length);
    for (int tries = 1;; ++tries) {
      const bool last = end == html.size();
      SegmentParse parse(html.substr(pos, end - pos), pos == 0, last);
      if (last || (parse.clean() && (body_text || parse.body_text()))) {
        parse.CopyInto(&dom, last);
        body_text = body_text || parse.body_text();
        ++parsed;
        break;
      }
      if (tries % 2 == 1) {
        end = NextTopLevelMarkup(html, pos, end + 1);
      } else {
        length *= 2;
        end = NextTopLevelMarkup(html, pos, std::max(pos + length, end + 1));
      }
    }
    pos = end;
  } while (pos < html.size());
  if (dom.root() == kNoNode) dom.set_root(dom.NewElement(Tag::kOther));  // empty input
  if (segments != nullptr) *segments = parsed;
  return dom;
}

}  // namespace archivist::normalize
