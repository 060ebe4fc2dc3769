#include "web/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <memory>
#include <mutex>

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

}  // namespace

std::string MarkdownToHtml(std::string_view markdown) {
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
  char* html = cmark_render_html(root.get(), kOptions,
                                 cmark_parser_get_syntax_extensions(parser.get()));
  std::string out(html ? html : "");
  cmark_get_default_mem_allocator()->free(html);
  return out;
}

}  // namespace archivist::web
