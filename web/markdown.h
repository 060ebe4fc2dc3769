// web/markdown: the archive's Markdown (docs/format.md §2) as HTML for a viewer page, with
// cmark-gfm (the only user of cmark-gfm in archivist), GitHub's tables, strikethrough,
// autolinks and tag filter.
//
// Safe by construction: raw HTML in the Markdown is never passed through — it is shown as
// text (the archive's Markdown holds a literal "<script>" only where the answer's text said
// so), and cmark-gfm's safe mode stays on behind that — and link and image destinations
// with javascript:, vbscript:, file: or (for links) data: schemes are emptied. Text is
// escaped by the renderer. So an answer holding <script>, an onerror= attribute or a
// javascript: link yields inert text, never markup. Input above kMaxMarkdown
// bytes is shown as escaped preformatted text instead (bounded work per page).
//
// Thread-safety: reentrant (the extensions are registered once, under a once-flag).
#ifndef ARCHIVIST_WEB_MARKDOWN_H_
#define ARCHIVIST_WEB_MARKDOWN_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace archivist::web {

inline constexpr size_t kMaxMarkdown = 8 * 1024 * 1024;

// Where an image's source goes: every image destination passes through it ("" drops the
// source; the image shows its alternative text). Empty: destinations are kept.
using ImageSource = std::function<std::string(std::string_view url)>;

std::string MarkdownToHtml(std::string_view markdown, const ImageSource& image_source = {});

}  // namespace archivist::web

#endif  // ARCHIVIST_WEB_MARKDOWN_H_
