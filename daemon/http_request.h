// ParseRequestHead: the request line of the status listener's HTTP/1.x requests, as a pure
// function (daemon/status_server.cc reads at most 8 KiB of head and hands it here), so that
// it can be tested and fuzzed without a socket.
//
// Thread-safety: a pure function.
#ifndef ARCHIVIST_DAEMON_HTTP_REQUEST_H_
#define ARCHIVIST_DAEMON_HTTP_REQUEST_H_

#include <string>
#include <string_view>

namespace archivist::daemon {

struct RequestLine {
  std::string method;  // the first word, e.g. "GET"; "" when there is none
  std::string path;    // the second word up to its '?', e.g. "/metrics"; "" when none
};

// Reads the first two white-space separated words of `head` (leading white space skipped):
// the method and the request target, whose query is dropped. Never fails; whatever follows
// (version, headers) is ignored. Both results are substrings of `head`.
RequestLine ParseRequestHead(std::string_view head);

}  // namespace archivist::daemon

#endif  // ARCHIVIST_DAEMON_HTTP_REQUEST_H_
