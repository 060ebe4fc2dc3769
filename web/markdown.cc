#include "web/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <cctype>
#include <memory>
#include <string_view>
#include <mutex>
#include <vector>

#include "web/html.h"

namespace archivist::web {
namespace {

struct ParserFree {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeFree {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

// Never CMARK_OPT_UNSAFE: raw HTML and dangerous URLs are dropped.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_SAFE;

// The text a Markdown backslash escape stands for: "\_" → "_" (ASCII punctuation only, as
// CommonMark defines escapes). Raw HTML is not parsed for escapes, yet turndown escaped the
// text it came from.
std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && std::ispunct(static_cast<unsigned char>(s[i + 1]))) ++i;
    out += s[i];
  }
  return out;
}

// Raw HTML in the archive's Markdown is text the answer showed (turndown writes a literal
// "<script>" of the answer's text as it is): it becomes a text node, which the renderer
// escapes, so the reader sees what the answer said and no markup is made of it.
void HtmlToText(cmark_node* root) {
  std::vector<cmark_node*> html;
  cmark_iter* iter = cmark_iter_new(root);
  for (cmark_event_type ev; (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
    cmark_node* node = cmark_iter_get_node(iter);
    const cmark_node_type type = cmark_node_get_type(node);
    if (ev == CMARK_EVENT_ENTER && (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE)) {
      html.push_back(node);
    }
  }
  cmark_iter_free(iter);
  for (cmark_node* node : html) {
    const char* literal = cmark_node_get_literal(node);
    std::string text = Unescape(literal ? literal : "");
    while (!text.empty() && text.back() == '\n') text.pop_back();
    cmark_node* replacement = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(replacement, text.c_str());
    if (cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK) {
      cmark_node* paragraph = cmark_node_new(CMARK_NODE_PARAGRAPH);
      cmark_node_append_child(paragraph, replacement);
      replacement = paragraph;
    }
    cmark_node_replace(node, replacement);
    cmark_node_free(node);
  }
}

void MapImages(cmark_node* root, const ImageSource& image_source) {
  cmark_iter* iter = cmark_iter_new(root);
  for (cmark_event_type ev; (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
    cmark_node* node = cmark_iter_get_node(iter);
    if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_IMAGE) {
      const char* url = cmark_node_get_url(node);
      cmark_node_set_url(node, image_source(url ? url : "").c_str());
    }
  }
  cmark_iter_free(iter);
}

}  // namespace

std::string MarkdownToHtml(std::string_view markdown, const ImageSource& image_source) {
  if (markdown.size() > kMaxMarkdown) return "<pre>" + Escape(markdown) + "</pre>\n";
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
  std::unique_ptr<cmark_parser, ParserFree> parser(cmark_parser_new(kOptions));
  for (const char* name : {"table", "strikethrough", "autolink", "tagfilter"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeFree> root(cmark_parser_finish(parser.get()));
  if (!root) return "<pre>" + Escape(markdown) + "</pre>\n";
  HtmlToText(root.get());
  if (image_source) MapImages(root.get(), image_source);
  char* html = cmark_render_html(root.get(), kOptions,
                                 cmark_parser_get_syntax_extensions(parser.get()));
  std::string out(html ? html : "");
  cmark_get_default_mem_allocator()->free(html);
  return out;
}

}  // namespace archivist::web
