#include "fetch/fake_http_client.h"

namespace archivist::fetch {

void FakeHttpClient::Route(const std::string& url, std::vector<HttpResponse> responses) {
  routes_[url] = std::move(responses);
  served_[url] = 0;
}

std::vector<HttpResponse> FakeHttpClient::PerformAll(const std::vector<HttpRequest>& requests) {
  std::vector<HttpResponse> out;
  const size_t batch = batches_++;
  for (const HttpRequest& req : requests) {
    records_.push_back({req, clock_.SteadyNow(), batch});
    HttpResponse r;
    if (handler_) {
      r = handler_(req);
    } else if (auto it = routes_.find(req.url); it != routes_.end() && !it->second.empty()) {
      size_t& n = served_[req.url];
      r = it->second[std::min(n, it->second.size() - 1)];
      ++n;
    } else {
      r = JsonResponse(404, R"({"error":{"code":404,"message":"no route in FakeHttpClient"}})");
    }
    if (r.effective_url.empty()) r.effective_url = req.url;
    out.push_back(std::move(r));
  }
  return out;
}

HttpResponse JsonResponse(int status, std::string body, HeaderList headers) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.headers.emplace_back("content-type", "application/json");
  return r;
}

HttpResponse TransportFailure(TransportError error, std::string message) {
  HttpResponse r;
  r.error = error;
  r.error_message = std::move(message);
  return r;
}

}  // namespace archivist::fetch
