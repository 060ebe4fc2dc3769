// web/site: the read-only archive viewer as a function from a request to a reply — the
// routes, their parameters and the security headers — independent of any HTTP library
// (web/server.h puts it on a socket; the tests call Handle directly).
//
// Routes (docs/viewer.md):
//   /                            the threads, the most recent change first
//   /question/<qid>[?at=T]       the thread now, or as it was at T
//   /answer/<aid>[?question=Q]   the answer's revisions
//   /answer/<aid>/diff?from=N&to=M[&question=Q]   two revisions side by side
//   /changes[?since=T]           every event since T, newest first
//   /feeds/all.atom, /feeds/<qid>.atom           Atom feeds
//   /media/<sha256>              a stored image (docs/media.md)
// T is ISO 8601 (UTC without an offset) or a duration ago (24h, 7d). Anything else is 404.
//
// Links in the feeds are absolute: http://<Host header> when it is a plain host[:port]
// (letters, digits, dots and dashes, or a bracketed IPv6 literal), else the listen address.
// Every reply carries web/html.h SecurityHeaders().
//
// Thread-safety: Handle may be called from several threads; calls are serialized (the
// store is used by one thread at a time). Store and clock are borrowed.
#ifndef ARCHIVIST_WEB_SITE_H_
#define ARCHIVIST_WEB_SITE_H_

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "diff/word_tokens.h"
#include "store/store.h"
#include "web/pages.h"

namespace archivist::web {

struct Request {
  std::string path;                           // decoded, without the query
  std::map<std::string, std::string> params;  // decoded query parameters
  std::string host;                           // the Host header ("" when absent)
};

struct SiteOptions {
  std::string fallback_host = "127.0.0.1";  // host[:port] for links when Host is unusable
  diff::Segmenter segment;                  // Han words in diffs; empty: per character
  Clock* clock = nullptr;                   // "now" for the thread page; default RealClock
  size_t feed_entries = 500;
};

class Site {
 public:
  Site(store::Store& store, SiteOptions options);
  Reply Handle(const Request& request);
  // Replaces SiteOptions::fallback_host (e.g. with the port bound).
  void SetFallbackHost(std::string host);

 private:
  Reply Route(const Request& request);
  Reply RouteAnswer(const Request& request);  // /answer/<aid>[/diff]
  store::Store& store_;
  SiteOptions options_;
  RealClock real_clock_;
  std::mutex mu_;
};

// "http://<host>" for a usable Host header, else "http://<fallback>".
std::string BaseUrl(std::string_view host, std::string_view fallback);

}  // namespace archivist::web

#endif  // ARCHIVIST_WEB_SITE_H_
