#include "fetch/url_origin.h"

#include <curl/curl.h>

#include <memory>

namespace archivist::fetch {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlPtr = std::unique_ptr<CURLU, UrlDeleter>;

// One part of a parsed URL; nullopt when absent.
std::optional<std::string> Part(CURLU* u, CURLUPart what, unsigned int flags = 0) {
  char* part = nullptr;
  if (curl_url_get(u, what, &part, flags) != CURLUE_OK || part == nullptr) return std::nullopt;
  std::string out(part);
  curl_free(part);
  return out;
}

void Lower(std::string* s) {
  for (char& c : *s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

}  // namespace

std::string Origin::ToString() const {
  const bool default_port = (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
  return scheme + "://" + host + (default_port ? "" : ":" + std::to_string(port));
}

std::optional<Origin> OriginOf(std::string_view url) {
  if (url.find('\0') != std::string_view::npos) return std::nullopt;
  UrlPtr u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, std::string(url).c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  if (Part(u.get(), CURLUPART_USER) || Part(u.get(), CURLUPART_PASSWORD)) return std::nullopt;
  std::optional<std::string> scheme = Part(u.get(), CURLUPART_SCHEME);
  std::optional<std::string> host = Part(u.get(), CURLUPART_HOST);
  std::optional<std::string> port = Part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!scheme || !host || !port || host->empty()) return std::nullopt;
  Lower(&*scheme);
  Lower(&*host);
  if (*scheme != "http" && *scheme != "https") return std::nullopt;
  Origin o;
  o.scheme = *scheme;
  o.host = *host;
  o.port = std::atoi(port->c_str());
  return o;
}

std::optional<std::string> WithinOrigin(std::string_view url, const Origin& base) {
  std::optional<Origin> o = OriginOf(url);
  if (!o) return std::nullopt;
  if (*o == base) return std::string(url);
  if (base.scheme == "https" && o->scheme == "http" && o->host == base.host && o->port == 80 &&
      base.port == 443) {
    UrlPtr u(curl_url());
    if (!u || curl_url_set(u.get(), CURLUPART_URL, std::string(url).c_str(), 0) != CURLUE_OK) {
      return std::nullopt;
    }
    if (Part(u.get(), CURLUPART_PORT)) return std::nullopt;  // an explicit :80 stays refused
    if (curl_url_set(u.get(), CURLUPART_SCHEME, "https", 0) != CURLUE_OK) return std::nullopt;
    std::optional<std::string> upgraded = Part(u.get(), CURLUPART_URL);
    if (upgraded && OriginOf(*upgraded) == base) return upgraded;
  }
  return std::nullopt;
}

}  // namespace archivist::fetch
