// media/media_urls: which image URLs archivist fetches, where from, and what a stored image's
// file is called (docs/media.md).
//
// Thread-safety: pure functions.
#ifndef ARCHIVIST_MEDIA_MEDIA_URLS_H_
#define ARCHIVIST_MEDIA_MEDIA_URLS_H_

#include <string>
#include <string_view>
#include <vector>

namespace archivist::media {

// True when `url` is https on one of `hosts`: "img.example" is that host, "*.example" any
// subdomain of example (not example itself). Hosts compare without case; a URL with user
// info, a port other than 443, or longer than kMaxImageUrlBytes (the answer's HTML is the
// source's, and hostile: a URL is stored with every revision that shows it) is refused.
inline constexpr size_t kMaxImageUrlBytes = 2048;
bool AllowedImageUrl(std::string_view url, const std::vector<std::string>& hosts);

// `url` with its scheme and host (and port) replaced by `base_url`'s, path and query kept;
// `url` itself when `base_url` is "" (`--media-base-url`, for tests against a local server).
std::string WithBaseUrl(std::string_view url, std::string_view base_url);

// The file extension of a media type: "jpg", "png", "gif", "webp", "svg", "avif", "bmp",
// "ico", "tiff", else "bin".
std::string_view ExtensionOf(std::string_view media_type);

// "<sha256>.<ext>": the name of a stored image's file beside exports (media/<name>).
std::string MediaFileName(std::string_view sha256, std::string_view media_type);

}  // namespace archivist::media

#endif  // ARCHIVIST_MEDIA_MEDIA_URLS_H_
