// ParseListenAddress: split at the last ':' (after a closing bracket for IPv6), check the
// port's digits and range, then let inet_pton decide what an IP literal is, so that the
// configuration check accepts exactly what the daemon's bind accepts.
#include "config/listen_address.h"

#include <arpa/inet.h>

#include <cstring>

namespace archivist::config {
namespace {

constexpr char kForms[] = "HOST:PORT with HOST an IP address or localhost "
                          "(e.g. 127.0.0.1:9184 or [::1]:9184)";

Status Bad(std::string_view text, std::string_view what) {
  return Status::InvalidArgument("\"" + std::string(text) + "\": " + std::string(what));
}

bool Loopback4(const unsigned char a[4]) { return a[0] == 127; }

}  // namespace

std::string ListenAddress::ToString() const { return WithPort(port); }

std::string ListenAddress::WithPort(int bound_port) const {
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(bound_port);
}

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  ListenAddress out;
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Bad(text, std::string("not ") + kForms);
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    out.ipv6 = true;
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return Bad(text, std::string("not ") + kForms);
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return Bad(text, "an IPv6 address needs brackets, e.g. [::1]:9184");
    }
  }
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
      std::stoi(std::string(port)) > 65535) {
    return Bad(text, "the port must be a number from 0 to 65535");
  }
  out.port = std::stoi(std::string(port));
  out.host = std::string(host);
  if (!out.ipv6 && out.host == "localhost") out.host = "127.0.0.1";
  if (out.ipv6) {
    unsigned char a[16];
    if (inet_pton(AF_INET6, out.host.c_str(), a) != 1) {
      return Bad(text, "\"" + out.host + "\" is not an IPv6 address");
    }
    static const unsigned char kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const unsigned char kAny[16] = {};
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    out.loopback = std::memcmp(a, kLoopback, 16) == 0 ||
                   (std::memcmp(a, kMapped, 12) == 0 && Loopback4(a + 12));
    out.any = std::memcmp(a, kAny, 16) == 0;
  } else {
    unsigned char a[4];
    if (inet_pton(AF_INET, out.host.c_str(), a) != 1) {
      return Bad(text, "\"" + out.host + "\" is not an IP address (host names other than "
                       "localhost are not resolved; " + kForms + ")");
    }
    out.loopback = Loopback4(a);
    out.any = a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0;
  }
  return out;
}

std::string ExposureWarning(const ListenAddress& address) {
  if (address.loopback) return "";
  const std::string where = address.any ? "on every network interface"
                                        : "on a non-loopback address";
  return "the status listener " + address.ToString() + " is " + where +
         ": /healthz and /metrics are served without authentication to every host that can "
         "reach it (use 127.0.0.1:PORT unless a firewall or a proxy guards it)";
}

}  // namespace archivist::config
