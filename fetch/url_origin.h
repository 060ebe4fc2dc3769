// Origin: where a URL points, as libcurl will connect to it — scheme, host and port — so that
// archivist can keep what it sends to the base URL's origin (docs/security.md).
//
// OriginOf parses with libcurl's own URL parser (curl_url), the one that decides where a
// transfer connects: no second parser to disagree with it on "http://a\@b/" and the like.
// Only absolute http and https URLs without user info have an origin; the host is
// lower-cased and the scheme's default port filled in, so "HTTPS://Zhihu.com/x" and
// "https://zhihu.com:443/y" have the same one.
//
// Thread-safety: pure functions.
#ifndef ARCHIVIST_FETCH_URL_ORIGIN_H_
#define ARCHIVIST_FETCH_URL_ORIGIN_H_

#include <optional>
#include <string>
#include <string_view>

namespace archivist::fetch {

struct Origin {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower case; an IPv6 address in brackets
  int port = 0;

  bool operator==(const Origin&) const = default;
  // "https://www.zhihu.com" (the port only when it is not the scheme's default).
  std::string ToString() const;
};

// The origin of `url`, or nullopt when it is not an absolute http(s) URL, has user info
// (user:password@), or does not parse.
std::optional<Origin> OriginOf(std::string_view url);

// `url` when it lies within `base`. An http URL on `base`'s host, without an explicit port,
// is taken over https when `base` is https (an upgrade, never a downgrade). nullopt for
// anything else.
std::optional<std::string> WithinOrigin(std::string_view url, const Origin& base);

}  // namespace archivist::fetch

#endif  // ARCHIVIST_FETCH_URL_ORIGIN_H_
