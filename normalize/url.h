// URL helpers of the Zhihu profile (docs/format.md Z5–Z7).
#ifndef ARCHIVIST_NORMALIZE_URL_H_
#define ARCHIVIST_NORMALIZE_URL_H_

#include <string>
#include <string_view>

namespace archivist::normalize {

// Python's urllib.parse.quote(s, safe="/"): keeps A–Z a–z 0–9 _ . - ~ /, every other byte of
// the UTF-8 encoding becomes %XX (upper-case hex).
std::string PyQuote(std::string_view s);

// A URL found in Zhihu HTML made absolute: JS-trimmed; "//x" → "https://x"; a URL with a
// scheme or a "#fragment" is kept; anything else is resolved against https://www.zhihu.com/
// as WHATWG URL parsing does (dot segments, backslashes, percent-encoding of the path, query
// and fragment). A relative reference with an authority of its own ("\\host/…") is kept as it
// is rather than host-parsed.
std::string AbsolutizeZhihuUrl(std::string_view u);

// decodeURIComponent; false when a %-sequence is malformed or not UTF-8 (JS throws URIError).
bool DecodeUriComponent(std::string_view s, std::string* out);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_URL_H_
