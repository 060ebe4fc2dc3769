// PageCapture: what one tab's page loads, as seen from its network events. Internal to
// browser/.
//
// It follows the main document (its redirects, status, headers and final URL), the requests
// whose path starts with a watched prefix (the listing pages a question page requests as it
// is scrolled), in the order they were sent, and the page's state: loaded, navigated
// elsewhere, crashed, detached, or gone with the browser. Bodies are fetched on demand with
// Network.getResponseBody after the request finished.
//
// Bounds: only the headers archivist reads are kept (retry-after, location, content-type),
// each cut at 1 KiB; at most `max_watched` watched requests are kept; a body over
// `max_body_bytes` is refused (the browser keeps no more than that per resource either).
//
// Thread-safety: events arrive on the connection's I/O thread; the methods are for the one
// thread that owns the tab.
#ifndef ARCHIVIST_BROWSER_PAGE_CAPTURE_H_
#define ARCHIVIST_BROWSER_PAGE_CAPTURE_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/cancel.h"
#include "base/clock.h"
#include "browser/browser.h"
#include "browser/cdp.h"
#include "fetch/http_client.h"

namespace archivist::browser {

struct Exchange {
  enum class State { kSent, kResponded, kFinished, kFailed };
  std::string request_id;
  std::string url;        // as first requested
  std::string final_url;  // after redirects
  State state = State::kSent;
  int status = 0;                // of the final response
  fetch::HeaderList headers;     // of the final response (a redirect's location kept too)
  int64_t encoded_length = 0;    // bytes on the wire, when finished
  std::string error_text;        // net::ERR_… when failed
  bool canceled = false;
  Clock::SteadyTime sent_at{};
  bool done() const { return state == State::kFinished || state == State::kFailed; }
};

// An exchange (and its body, when fetched) as the classifier in fetch/ reads responses; a
// failed load becomes the transport error it was.
fetch::HttpResponse ToHttpResponse(const Exchange& ex, std::string body);
fetch::TransportError TransportErrorOf(std::string_view net_error);

class PageCapture {
 public:
  struct Limits {
    size_t max_body_bytes = 32u << 20;
    size_t max_watched = 4096;
    Clock::Duration command_timeout = std::chrono::seconds(30);
    // The process's stop: once cancelled, every wait ends within 250 ms and the capture is
    // broken ("the fetch was cancelled"). Null: never cancelled.
    const CancelToken* cancel = nullptr;
  };

  // Subscribes to `tab`'s events; requests whose URL path starts with `watch_prefix` are kept
  // ("" = none).
  PageCapture(Tab& tab, Clock& clock, Limits limits, std::string watch_prefix);
  ~PageCapture();
  PageCapture(const PageCapture&) = delete;
  PageCapture& operator=(const PageCapture&) = delete;

  // Network.enable (with buffers sized for max_body_bytes, the cache off) and Page.enable.
  Status Enable();
  // Sends `method` to the tab; the error names the method.
  Result<Json> Call(std::string_view method, Json params);

  enum class Load { kLoaded, kTimeout, kNetError, kBroken };
  // Navigates the tab to `url` and waits for the load event until `deadline`. kNetError: the
  // document failed (error_text in Document()); kBroken: see broken().
  Load Navigate(const std::string& url, Clock::SteadyTime deadline);

  // The main document's exchange (after Navigate), if its request was seen.
  std::optional<Exchange> Document() const;
  // The main frame's URL now (it changes when a script navigates).
  std::string CurrentUrl() const;
  // Why the tab is unusable ("" while it is fine); too_large() when an oversized message did it.
  std::string broken() const;
  bool too_large() const;

  // An exchange with its body, as the classifiers in fetch/ read responses: a failed or
  // unfinished request is its transport error, a body over the cap is kTooLarge, a body the
  // browser no longer has is kOther.
  fetch::HttpResponse Fetched(const Exchange& ex);

  // Watched requests seen so far, and one of them.
  size_t watched_count() const;
  Exchange watched(size_t i) const;
  // Waits until more than `count` watched requests were sent / watched request `i` is done,
  // or the tab breaks, or `deadline`. True when the condition holds.
  bool WaitForWatched(size_t count, Clock::SteadyTime deadline);
  bool WaitForExchange(size_t i, Clock::SteadyTime deadline);

  // One step of a reader's scrolling: up a little, then to the end of the page (an isolated
  // world, so the page's scripts cannot see or change the scrolling code).
  Status Scroll();

 private:
  void OnEvent(std::string_view method, const Json& params);
  void OnRequest(const Json& params);
  void OnResponse(const Json& params);
  void OnDone(const Json& params, bool failed);
  Exchange* FindLocked(const std::string& request_id);
  bool Watched(const std::string& url) const;
  Result<Json> Evaluate(const std::string& expression);
  // Waits until `ready()` (called under mu_), the tab breaks, or `deadline`.
  bool WaitUntil(const std::function<bool()>& ready, Clock::SteadyTime deadline);

  Tab& tab_;
  Clock& clock_;
  const Limits limits_;
  const std::string watch_prefix_;

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::optional<Exchange> document_;
  std::vector<Exchange> watched_;
  std::string current_url_;
  std::string broken_;
  bool too_large_ = false;
  int loads_ = 0;
  int isolated_context_ = 0;
};

}  // namespace archivist::browser

#endif  // ARCHIVIST_BROWSER_PAGE_CAPTURE_H_
