// ListenAddress: the one reading of a status listener address (`daemon.status_listen`,
// `archivist status --listen`), shared by the configuration check, the daemon that binds it
// and the client that connects to it, so that what check-config accepts the daemon can bind.
//
// Accepted forms: "A.B.C.D:PORT" (IPv4), "[IPv6]:PORT" (brackets required: "::1:9184" is
// ambiguous), and "localhost:PORT", which means 127.0.0.1 (not resolved: no name lookup,
// so the address cannot change with /etc/hosts or DNS). PORT is 0..65535; 0 lets the system
// pick one (for tests). Host names other than localhost are refused: the listener binds an
// address, and a name would hide which one.
//
// The listener serves the daemon's health and metrics without authentication, so an address
// that is not loopback exposes them to every host that can reach it: `loopback` says which,
// and ExposureWarning words the warning that check-config and the daemon print.
//
// Thread-safety: plain values and pure functions.
#ifndef ARCHIVIST_CONFIG_LISTEN_ADDRESS_H_
#define ARCHIVIST_CONFIG_LISTEN_ADDRESS_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace archivist::config {

struct ListenAddress {
  std::string host;  // an IP literal without brackets: "127.0.0.1", "::1", "0.0.0.0"
  int port = 0;
  bool ipv6 = false;
  bool loopback = false;  // 127.0.0.0/8, ::1, or ::ffff:127.0.0.0/104
  bool any = false;       // 0.0.0.0 or :: (every interface)

  // "127.0.0.1:9184", "[::1]:9184"; with another port when given (e.g. the bound one).
  std::string ToString() const;
  std::string WithPort(int bound_port) const;
};

// Parses `text`; kInvalidArgument naming the text and what is wrong.
Result<ListenAddress> ParseListenAddress(std::string_view text);

// "" for a loopback address; otherwise one sentence naming the address and the exposure.
std::string ExposureWarning(const ListenAddress& address);

}  // namespace archivist::config

#endif  // ARCHIVIST_CONFIG_LISTEN_ADDRESS_H_
