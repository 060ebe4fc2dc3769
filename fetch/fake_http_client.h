// FakeHttpClient: a scripted HttpClient for tests. It answers each request with a handler's
// response and records every request with the Clock time at which it was performed, so a test
// asserts on behaviour ("no request before the delay", "Cookie was sent", "3 pages fetched").
//
// Thread-safety: not thread-safe.
#ifndef ARCHIVIST_FETCH_FAKE_HTTP_CLIENT_H_
#define ARCHIVIST_FETCH_FAKE_HTTP_CLIENT_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/clock.h"
#include "fetch/http_client.h"

namespace archivist::fetch {

class FakeHttpClient final : public HttpClient {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  struct Record {
    HttpRequest request;
    Clock::SteadyTime at;
    size_t batch = 0;  // index of the PerformAll call that carried it
  };

  // `clock` stamps the records; `handler` answers. Without a handler, routes set with
  // Route() answer and anything else gets a 404.
  explicit FakeHttpClient(Clock& clock, Handler handler = nullptr)
      : clock_(clock), handler_(std::move(handler)) {}

  // Answers `url` (exact match) with a queue of responses; the last one repeats.
  void Route(const std::string& url, std::vector<HttpResponse> responses);

  std::vector<HttpResponse> PerformAll(const std::vector<HttpRequest>& requests) override;

  const std::vector<Record>& records() const { return records_; }

 private:
  Clock& clock_;
  Handler handler_;
  std::map<std::string, std::vector<HttpResponse>> routes_;
  std::map<std::string, size_t> served_;
  std::vector<Record> records_;
  size_t batches_ = 0;
};

// Helpers to build responses.
HttpResponse JsonResponse(int status, std::string body, HeaderList headers = {});
HttpResponse TransportFailure(TransportError error, std::string message = "injected");

}  // namespace archivist::fetch

#endif  // ARCHIVIST_FETCH_FAKE_HTTP_CLIENT_H_
