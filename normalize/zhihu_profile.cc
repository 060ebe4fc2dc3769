// The Zhihu clean-up works on the parsed tree before turndown sees it, step by step in the
// order of docs/format.md §2, each step taking the list of its elements before changing
// anything. Element lookups match a name in any
// namespace, as getElementsByTagName does for these lower-case names.
#include "normalize/zhihu_profile.h"

#include <map>

#include "normalize/js_text.h"
#include "normalize/url.h"

namespace archivist::normalize {

namespace {

bool HasClass(const Dom& dom, NodeId n, std::string_view name) {
  const std::string* cls = dom.Attr(n, "class");
  std::string padded = " " + (cls ? *cls : std::string()) + " ";
  for (char& c : padded) {
    if (c == '\t' || c == '\n' || c == '\r' || c == '\f') c = ' ';
  }
  return padded.find(" " + std::string(name) + " ") != std::string::npos;
}

bool StartsWithDataScheme(std::string_view v) {
  // /^\s*data:/i
  size_t i = 0;
  while (i < v.size()) {
    const size_t w = JsWsLengthAt(v, i);
    if (w == 0) break;
    i += w;
  }
  if (v.size() - i < 5) return false;
  static constexpr std::string_view kData = "data:";
  for (size_t k = 0; k < 5; ++k) {
    char c = v[i + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != kData[k]) return false;
  }
  return true;
}

// Z5's image URL: data-original, data-actualsrc, src — the first usable one, absolute.
std::string ImageUrl(const Dom& dom, NodeId img) {
  for (const char* name : {"data-original", "data-actualsrc", "src"}) {
    const std::string* v = dom.Attr(img, name);
    if (v && !JsTrim(*v).empty() && !StartsWithDataScheme(*v)) return AbsolutizeZhihuUrl(*v);
  }
  return "";
}

void RemoveSpacerParagraphs(Dom* dom, NodeId root) {  // Z1
  for (NodeId p : dom->ElementsByTag(root, Tag::kP)) {
    if (HasClass(*dom, p, "ztext-empty-paragraph")) dom->Detach(p);
  }
}

void RemoveVideoThumbnails(Dom* dom, NodeId root) {  // Z2
  for (NodeId a : dom->ElementsByTag(root, Tag::kA)) {
    if (!HasClass(*dom, a, "video-box")) continue;
    for (NodeId img : dom->ElementsByTag(a, Tag::kImg)) dom->Detach(img);
  }
}

void KeepOnePicturePerFigure(Dom* dom, NodeId root) {  // Z4
  for (NodeId fig : dom->ElementsByTag(root, Tag::kFigure)) {
    bool kept = false;
    for (NodeId img : dom->ElementsByTag(fig, Tag::kImg)) {
      if (IsMathImage(*dom, img)) continue;
      if (!kept && !ImageUrl(*dom, img).empty()) {
        kept = true;
        continue;
      }
      dom->Detach(img);
    }
  }
}

void RewriteImageSources(Dom* dom, NodeId root, std::string_view proxy) {  // Z5
  for (NodeId img : dom->ElementsByTag(root, Tag::kImg)) {
    if (IsMathImage(*dom, img)) continue;
    const std::string url = ImageUrl(*dom, img);
    if (url.empty()) {
      dom->Detach(img);
      continue;
    }
    std::string src = proxy.empty() ? url : std::string(proxy) + PyQuote(url);
    auto& attrs = (*dom)[img].attrs;
    std::erase_if(attrs, [](const Attribute& a) { return a.name != "alt"; });
    dom->SetAttr(img, "src", std::move(src));
  }
}

void AbsolutizeLinks(Dom* dom, NodeId root) {  // Z6
  for (NodeId a : dom->ElementsByTag(root, Tag::kA)) {
    const std::string* href = dom->Attr(a, "href");
    if (href && !JsTrim(*href).empty()) dom->SetAttr(a, "href", AbsolutizeZhihuUrl(*href));
  }
}

bool AllAsciiDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void NumberReferences(Dom* dom, NodeId root) {  // Z7
  struct Ref {
    std::string text, url;
  };
  std::map<double, Ref> refs;  // keyed by Number(n), ascending
  for (NodeId sup : dom->ElementsByTag(root, Tag::kSup)) {
    const std::string* kind = dom->Attr(sup, "data-draft-type");
    if (!kind || *kind != "reference") continue;
    const std::string* numero = dom->Attr(sup, "data-numero");
    const std::string n(JsTrim(numero ? *numero : std::string()));
    if (!AllAsciiDigits(n)) continue;
    const double key = JsNumber(n);
    if (!refs.count(key)) {
      const std::string* text = dom->Attr(sup, "data-text");
      const std::string* url = dom->Attr(sup, "data-url");
      refs[key] = {std::string(JsTrim(text ? *text : std::string())),
                   AbsolutizeZhihuUrl(url ? *url : std::string())};
    }
    while ((*dom)[sup].first_child != kNoNode) dom->Detach((*dom)[sup].first_child);
    dom->AppendChild(sup, dom->NewText("[" + n + "]"));
  }
  if (refs.empty()) return;
  const NodeId h2 = dom->NewElement(Tag::kH2);
  dom->AppendChild(h2, dom->NewText("参考"));
  const NodeId ol = dom->NewElement(Tag::kOl);
  for (const auto& [key, ref] : refs) {
    const NodeId li = dom->NewElement(Tag::kLi);
    if (!ref.text.empty()) dom->AppendChild(li, dom->NewText(ref.text));
    if (!ref.text.empty() && !ref.url.empty()) dom->AppendChild(li, dom->NewText(" "));
    if (!ref.url.empty()) {
      const NodeId a = dom->NewElement(Tag::kA);
      dom->SetAttr(a, "href", ref.url);
      dom->AppendChild(a, dom->NewText(ref.url));
      dom->AppendChild(li, a);
    }
    dom->AppendChild(ol, li);
  }
  dom->AppendChild(root, h2);
  dom->AppendChild(root, ol);
}

}  // namespace

void ZhihuCleanup(Dom* dom, NodeId root, std::string_view image_proxy) {
  RemoveSpacerParagraphs(dom, root);
  RemoveVideoThumbnails(dom, root);
  for (NodeId ns : dom->ElementsByTag(root, Tag::kNoscript)) dom->Unwrap(ns);  // Z3
  KeepOnePicturePerFigure(dom, root);
  RewriteImageSources(dom, root, image_proxy);
  AbsolutizeLinks(dom, root);
  NumberReferences(dom, root);
}

bool IsMathImage(const Dom& dom, NodeId img) {
  const std::string* v = dom.Attr(img, "eeimg");
  return v && *v == "1";
}

namespace {

// The TeX of a math image: alt, else the URL-decoded tex= parameter of src.
std::string MathTex(const Dom& dom, NodeId img) {
  const std::string* alt = dom.Attr(img, "alt");
  std::string tex;
  if (alt && !alt->empty()) {
    tex = *alt;
  } else if (const std::string* src = dom.Attr(img, "src")) {
    // /[?&]tex=([^&]*)/
    for (size_t at = src->find("tex="); at != std::string::npos; at = src->find("tex=", at + 1)) {
      if (at == 0 || ((*src)[at - 1] != '?' && (*src)[at - 1] != '&')) continue;
      size_t end = src->find('&', at + 4);
      std::string raw = src->substr(at + 4, end == std::string::npos ? end : end - at - 4);
      for (char& c : raw) {
        if (c == '+') c = ' ';
      }
      // decodeURIComponent throws on a malformed escape in the reference; keep it raw here.
      if (!DecodeUriComponent(raw, &tex)) tex = raw;
      break;
    }
  }
  // /\s*[\r\n]+\s*/g → " ": every run of JS white space holding a CR or LF becomes one space.
  std::string out;
  for (size_t i = 0; i < tex.size();) {
    size_t w = JsWsLengthAt(tex, i);
    if (w == 0) {
      out += tex[i++];
      continue;
    }
    size_t j = i;
    bool has_break = false;
    while (j < tex.size() && (w = JsWsLengthAt(tex, j)) > 0) {
      if (tex[j] == '\r' || tex[j] == '\n') has_break = true;
      j += w;
    }
    if (has_break) out += ' ';
    else out.append(tex, i, j - i);
    i = j;
  }
  return std::string(JsTrim(out));
}

bool IsAsciiWsOnly(const std::string& s) {
  for (char c : s) {
    if (!IsAsciiWs(c)) return false;
  }
  return true;
}

}  // namespace

std::string MathReplacement(const Dom& dom, NodeId img) {
  const std::string tex = MathTex(dom, img);
  if (tex.empty()) return "";
  const NodeId p = dom[img].parent;
  bool alone = p != kNoNode && dom.Is(p, Tag::kP);
  for (NodeId c = alone ? dom[p].first_child : kNoNode; c != kNoNode; c = dom[c].next) {
    if (c == img) continue;
    if (dom[c].type != NodeType::kText || !IsAsciiWsOnly(dom[c].data)) {
      alone = false;
      break;
    }
  }
  return alone ? "$$" + tex + "$$" : "$" + tex + "$";
}

std::string TableReplacement(const RuleContext::TableInfo& table, const std::string& content) {
  if (table.rows == 0) return "\n\n";
  size_t b = 0;
  while (b < content.size() && content[b] == '\n') ++b;
  return "\n\n" + content.substr(b) + "\n\n";
}

std::string TableRowReplacement(RuleContext* ctx, NodeId tr, const std::string& content) {
  const Dom& dom = *ctx->dom;
  NodeId table = dom[tr].parent;
  while (table != kNoNode && !dom.Is(table, Tag::kTable)) table = dom[table].parent;
  if (table == kNoNode) return content;
  const RuleContext::TableInfo& info = ctx->Table(table);
  size_t cells = 0;
  for (NodeId c = dom[tr].first_child; c != kNoNode; c = dom[c].next) {
    if (dom.Is(c, Tag::kTd) || dom.Is(c, Tag::kTh)) ++cells;
  }
  std::string out = "\n|" + content;
  for (size_t k = cells; k < info.columns; ++k) out += " |";
  if (info.first_row == tr) {
    out += "\n|";
    for (size_t k = 0; k < info.columns; ++k) out += " --- |";
  }
  return out;
}

std::string TableCellReplacement(const std::string& content) {
  // content.replace(/ *\n+ */g, ' '): a run of LFs with the spaces on both sides → one space.
  std::string c;
  for (size_t i = 0; i < content.size();) {
    size_t j = i;
    while (j < content.size() && content[j] == ' ') ++j;
    if (j < content.size() && content[j] == '\n') {
      while (j < content.size() && content[j] == '\n') ++j;
      while (j < content.size() && content[j] == ' ') ++j;
      c += ' ';
      i = j;
    } else if (j > i) {
      c.append(content, i, j - i);
      i = j;
    } else {
      c += content[i++];
    }
  }
  const std::string_view t = JsTrim(c);
  if (t.empty()) return " |";
  std::string out = " ";
  for (char ch : t) {
    if (ch == '|') out += '\\';
    out += ch;
  }
  return out + " |";
}

}  // namespace archivist::normalize
