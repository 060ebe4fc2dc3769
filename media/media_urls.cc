#include "media/media_urls.h"

#include "fetch/url_origin.h"

namespace archivist::media {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

bool HostMatches(const std::string& host, std::string_view pattern) {
  const std::string p = Lower(pattern);
  if (p.rfind("*.", 0) == 0) {
    const std::string suffix = p.substr(1);  // ".example"
    return host.size() > suffix.size() &&
           host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0;
  }
  return host == p;
}

// Where the path of an absolute URL starts (after scheme://authority), or npos.
size_t PathStart(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string_view::npos;
  const size_t end = url.find_first_of("/?#", scheme + 3);
  return end == std::string_view::npos ? url.size() : end;
}

}  // namespace

bool AllowedImageUrl(std::string_view url, const std::vector<std::string>& hosts) {
  if (url.size() > kMaxImageUrlBytes) return false;
  const std::optional<fetch::Origin> origin = fetch::OriginOf(url);
  if (!origin || origin->scheme != "https" || origin->port != 443) return false;
  for (const std::string& pattern : hosts) {
    if (HostMatches(origin->host, pattern)) return true;
  }
  return false;
}

std::string WithBaseUrl(std::string_view url, std::string_view base_url) {
  if (base_url.empty()) return std::string(url);
  const size_t path = PathStart(url);
  if (path == std::string_view::npos) return std::string(url);
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + std::string(url.substr(path));
}

std::string_view ExtensionOf(std::string_view media_type) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"image/jpeg", "jpg"}, {"image/jpg", "jpg"},   {"image/png", "png"},
      {"image/gif", "gif"},  {"image/webp", "webp"}, {"image/svg+xml", "svg"},
      {"image/avif", "avif"}, {"image/bmp", "bmp"},  {"image/x-icon", "ico"},
      {"image/vnd.microsoft.icon", "ico"}, {"image/tiff", "tiff"}, {"image/heic", "heic"}};
  for (const auto& [type, ext] : kTypes) {
    if (type == media_type) return ext;
  }
  return "bin";
}

std::string MediaFileName(std::string_view sha256, std::string_view media_type) {
  return std::string(sha256) + "." + std::string(ExtensionOf(media_type));
}

}  // namespace archivist::media
