// normalize: HTML → Markdown, visible text, and the thread document (docs/format.md).
//
// The converter is a byte-exact port of turndown 7.2.2 (docs/format.md §5) on gumbo-parser, with
// the Zhihu profile's clean-up Z1–Z7 and added rules Z8 (docs/format.md §2). Everything here is
// pure: no I/O, no clock, no logging; gumbo is used nowhere else in archivist.
//
// Any byte string is accepted: invalid UTF-8 is decoded as a browser (and Node.js) does, each
// maximal bad subsequence becoming U+FFFD. Hostile input cannot make the converter recurse,
// and time and memory stay linear in the input: nesting deeper than kMaxDepth elements is
// flattened before parsing (see html_input.h).
//
// Thread-safety: all functions are reentrant; they share no state.
#ifndef ARCHIVIST_NORMALIZE_NORMALIZE_H_
#define ARCHIVIST_NORMALIZE_NORMALIZE_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace archivist::normalize {

enum class Profile {
  kPlain,  // turndown 7.2.2, default options, no clean-up (docs/format.md §3)
  kZhihu,  // clean-up Z1–Z7, fenced code blocks, rules Z8 (docs/format.md §2)
};

inline constexpr std::string_view kDefaultImageProxy = "https://images.weserv.nl/?url=";

// Bumped whenever the Markdown produced for some input changes, so that stored Markdown
// can be re-derived (`archivist renormalize`).
inline constexpr int kNormalizerVersion = 2;

struct Options {
  Profile profile = Profile::kZhihu;
  // Z5: prefix for image URLs; empty keeps the URL as it is.
  std::string image_proxy = std::string(kDefaultImageProxy);
};

// Converts one answer's HTML to Markdown. "" → "".
std::string HtmlToMarkdown(std::string_view html, const Options& options = {});

// The images one answer shows, in document order without repeats: for each picture the
// converter keeps, its best source as Z5 picks it (data-original, else data-actualsrc, else
// src; never data:), absolute. Formula images are not pictures. (docs/media.md)
std::vector<std::string> ImageUrls(std::string_view html);

// The link the Markdown holds for the image at `url`: Z5's proxy prefix and the URL quoted,
// or the URL itself when the proxy is "".
std::string ImageLink(std::string_view url, std::string_view image_proxy);

// Every form a stored Markdown's image link may have: through `image_proxy` (zhihu.image_proxy
// now), through the default proxy, or the bare URL ("") — without repeats.
std::vector<std::string> ImageLinkForms(std::string_view image_proxy);

// The visible text of one answer (docs/format.md §4), after the clean-up Z1–Z7: the input of
// keyword tags. (The profile in `options` is ignored: the text is defined on the Zhihu tree.)
std::string VisibleText(std::string_view html, const Options& options = {});

// One thread as docs/format.md §1 writes it.
struct DocumentAnswer {
  std::string author;    // display name; "匿名用户" for anonymous authors
  std::string markdown;  // HtmlToMarkdown of the answer
};
struct Document {
  std::string title;
  std::string author;  // the question's author when shown, else ""
  Timestamp date;      // first archived
  Timestamp lastmod;   // latest event
  std::vector<std::string> tags;
  std::vector<DocumentAnswer> answers;
};

std::string RenderDocument(const Document& doc);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_NORMALIZE_H_
