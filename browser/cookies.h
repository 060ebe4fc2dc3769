// Cookies for the browser: a Netscape cookies.txt (what browser extensions and curl write)
// and a `Cookie:` header value, turned into the cookies set for the base URL's host.
//
// Only cookies that a request to that host would carry are kept: a file exported from a whole
// browser holds other sites' cookies too, and the pages archivist opens have no business with
// them. Values are used as they are (never logged).
//
// Thread-safety: pure functions.
#ifndef ARCHIVIST_BROWSER_COOKIES_H_
#define ARCHIVIST_BROWSER_COOKIES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace archivist::browser {

struct Cookie {
  std::string name;
  std::string value;
  std::string domain;  // ".zhihu.com" (the host and its subdomains), or "" = only the base host
  std::string path = "/";
  bool secure = false;
  bool http_only = false;
  int64_t expires = 0;  // Unix seconds; 0 = a session cookie
};

// The cookies of the Netscape file at `path` that apply to `host` (no port). Lines are
// `domain  include_subdomains  path  secure  expires  name  value` separated by tabs;
// `#HttpOnly_` before the domain marks an HttpOnly cookie; other lines starting with '#' and
// blank lines are skipped. Errors name the file and the line.
Result<std::vector<Cookie>> ReadCookiesFile(const std::string& path, std::string_view host);
Result<std::vector<Cookie>> ParseCookiesFile(std::string_view text, std::string_view host,
                                             const std::string& name_for_errors);

// "a=1; b=2" → cookies for the base host only (domain ""). Items without '=' are skipped.
std::vector<Cookie> ParseCookieHeader(std::string_view header);

// The host of a URL without port or brackets, lower-cased: "https://WWW.zhihu.com:443/x" →
// "www.zhihu.com". "" when it has none.
std::string HostNameOf(std::string_view url);

}  // namespace archivist::browser

#endif  // ARCHIVIST_BROWSER_COOKIES_H_
