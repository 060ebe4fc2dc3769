#include "normalize/elements.h"

#include <array>

namespace archivist::normalize {

namespace {

constexpr std::array<std::string_view, static_cast<size_t>(Tag::kCount)> kNames = {
    "",
    "address", "article", "aside", "audio", "blockquote", "body", "canvas", "center", "dd",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "isindex", "li",
    "main", "menu", "nav", "noframes", "noscript", "ol", "output", "p", "pre", "section",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "area", "base", "br", "col", "command", "embed", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
    "a", "iframe", "script", "video",
    "code", "em", "i", "strong", "b", "del", "s", "strike", "caption", "sup", "style",
    "template",
};

}  // namespace

Tag TagFromName(std::string_view name) {
  if (name.empty() || name.size() > 10) return Tag::kOther;
  for (size_t i = 1; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Tag>(i);
  }
  return Tag::kOther;
}

std::string_view TagName(Tag tag) { return kNames[static_cast<size_t>(tag)]; }

bool IsBlockTag(Tag t) { return t >= Tag::kAddress && t <= Tag::kUl; }

bool IsVoidTag(Tag t) { return t == Tag::kHr || (t >= Tag::kArea && t <= Tag::kWbr); }

bool IsMeaningfulWhenBlankTag(Tag t) {
  switch (t) {
    case Tag::kA: case Tag::kTable: case Tag::kThead: case Tag::kTbody: case Tag::kTfoot:
    case Tag::kTh: case Tag::kTd: case Tag::kIframe: case Tag::kScript: case Tag::kAudio:
    case Tag::kVideo:
      return true;
    default:
      return false;
  }
}

}  // namespace archivist::normalize
