// web/html: the pieces every viewer page is made of — escaping, the page frame with its
// inline style sheet, the language of a text, and the security headers of every reply.
//
// Everything that comes from the archive (titles, author names, answer text) is hostile:
// it reaches a page only through Escape() or web/markdown.h, never verbatim. The pages
// carry no script at all, and the Content-Security-Policy forbids one anyway.
//
// Thread-safety: pure functions.
#ifndef ARCHIVIST_WEB_HTML_H_
#define ARCHIVIST_WEB_HTML_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/time.h"

namespace archivist::web {

// Sent with every reply: no script, no frame, no plug-in, nothing loaded from elsewhere —
// images only from the viewer itself (/media/<sha256>: docs/media.md); only the page's own
// inline style.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

using Headers = std::vector<std::pair<std::string, std::string>>;
// The Content-Security-Policy and its companions (nosniff, no referrer, no framing).
Headers SecurityHeaders();

// &, <, >, " and ' escaped; bytes that are not valid UTF-8 and control characters other
// than tab and line feed become U+FFFD, so a page is always valid UTF-8.
std::string Escape(std::string_view text);

// "zh" when `text` holds a Han character, else "en": the lang attribute of a block.
std::string_view LangOf(std::string_view text);

// "2026-01-17 08:00 UTC": a time for a person on a page.
std::string PageTime(Timestamp t);

// The start of a page up to and including <main>: doctype, <html lang="…">, the viewport
// meta, the inline style, <title> and the top bar. `title` is escaped here.
std::string PageStart(std::string_view title, std::string_view lang = "en");
// </main> and the rest.
std::string PageEnd();

// Percent-encodes a query value (RFC 3986 unreserved characters and ':' kept).
std::string UrlEncode(std::string_view text);

// A time for a URL: "2026-01-17T08:00:00Z", with ".123456" before the Z when it has
// microseconds.
std::string UrlTime(Timestamp t);

}  // namespace archivist::web

#endif  // ARCHIVIST_WEB_HTML_H_
