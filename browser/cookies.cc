#include "browser/cookies.h"

#include <fstream>
#include <optional>
#include <sstream>

#include "base/file_access.h"
#include "fetch/http_client.h"
#include "fetch/sources/zhihu_url.h"

namespace archivist::browser {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  while (true) {
    const size_t tab = line.find('\t');
    out.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) return out;
    line.remove_prefix(tab + 1);
  }
}

bool Applies(std::string_view domain, bool subdomains, std::string_view host) {
  if (domain.starts_with('.')) domain.remove_prefix(1);
  std::string d(domain);
  for (char& c : d) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (d == host) return true;
  return subdomains && host.size() > d.size() && host.ends_with(d) && host[host.size() - d.size() - 1] == '.';
}

}  // namespace

std::string HostNameOf(std::string_view url) {
  std::string host = fetch::HostOf(url);
  if (host.starts_with('[')) {
    const size_t close = host.find(']');
    return close == std::string::npos ? host : host.substr(1, close - 1);
  }
  if (const size_t colon = host.rfind(':'); colon != std::string::npos) host.resize(colon);
  return host;
}

Result<std::vector<Cookie>> ParseCookiesFile(std::string_view text, std::string_view host,
                                             const std::string& name) {
  std::vector<Cookie> out;
  int line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    Cookie c;
    if (line.starts_with("#HttpOnly_")) {
      c.http_only = true;
      line.remove_prefix(10);
    } else if (Trim(line).empty() || line.starts_with('#')) {
      continue;
    }
    const std::string where = name + ":" + std::to_string(line_no);
    std::vector<std::string_view> f = SplitTabs(line);
    if (f.size() == 6) f.push_back("");  // an empty value, its tab dropped by some writers
    if (f.size() != 7) {
      return Status::InvalidArgument(where + ": expected 7 tab-separated fields, found " + std::to_string(f.size()));
    }
    if ((f[1] != "TRUE" && f[1] != "FALSE") || (f[3] != "TRUE" && f[3] != "FALSE")) {
      return Status::InvalidArgument(where + ": fields 2 and 4 must be TRUE or FALSE");
    }
    auto expires = fetch::ParseDecimalU64(f[4]);
    if (!expires || *expires > static_cast<uint64_t>(INT64_MAX)) {
      return Status::InvalidArgument(where + ": the expiry '" + std::string(f[4]) + "' is not a Unix time");
    }
    if (f[5].empty()) return Status::InvalidArgument(where + ": the cookie has no name");
    const bool subdomains = f[1] == "TRUE";
    if (!Applies(f[0], subdomains, host)) continue;
    c.domain = subdomains ? std::string(f[0]) : "";
    if (subdomains && !c.domain.starts_with('.')) c.domain = "." + c.domain;
    c.path = f[2].empty() ? "/" : std::string(f[2]);
    c.secure = f[3] == "TRUE";
    c.expires = static_cast<int64_t>(*expires);
    c.name = std::string(f[5]);
    c.value = std::string(f[6]);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Cookie>> ReadCookiesFile(const std::string& path, std::string_view host) {
  if (std::optional<std::string> why = CheckReadable(path)) {
    return Status::InvalidArgument("cookies file '" + path + "' cannot be read: " + *why);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cookies file '" + path + "' cannot be read");
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IoError("cookies file '" + path + "': read error");
  return ParseCookiesFile(ss.str(), host, path);
}

std::vector<Cookie> ParseCookieHeader(std::string_view header) {
  std::vector<Cookie> out;
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view item = Trim(header.substr(0, semi));
    header.remove_prefix(semi == std::string_view::npos ? header.size() : semi + 1);
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    Cookie c;
    c.name = std::string(Trim(item.substr(0, eq)));
    c.value = std::string(Trim(item.substr(eq + 1)));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace archivist::browser
