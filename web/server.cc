// The cpp-httplib wiring. cpp-httplib's own thread pool queues accepted connections without
// limit, so the server gets a pool of its own (BoundedPool) whose enqueue waits while
// `max_queued` connections are already waiting: the accept loop then stands still and new
// connections stay in the kernel's backlog. Every request is answered by the one catch-all
// GET handler, which hands the decoded path, parameters and Host header to the Site.
#include "web/server.h"

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "config/listen_address.h"

namespace archivist::web {
namespace {

class BoundedPool final : public httplib::TaskQueue {
 public:
  BoundedPool(int threads, int max_queued) : max_queued_(static_cast<size_t>(max_queued)) {
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }
  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mu_);
    room_.wait(lock, [&] { return jobs_.size() < max_queued_ || shutdown_; });
    jobs_.push_back(std::move(fn));
    ready_.notify_one();
  }
  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      shutdown_ = true;
    }
    ready_.notify_all();
    room_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [&] { return !jobs_.empty() || shutdown_; });
        if (jobs_.empty()) return;  // shut down and drained
        fn = std::move(jobs_.front());
        jobs_.pop_front();
        room_.notify_one();
      }
      fn();
    }
  }
  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> workers_;
  bool shutdown_ = false;
};

}  // namespace

struct Server::Impl {
  httplib::Server http;
  std::thread thread;
  int port = 0;
  bool stopped = false;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }
int Server::port() const { return impl_->port; }

void Server::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->http.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

Result<std::unique_ptr<Server>> Server::Start(const std::string& listen, Site& site,
                                              ServerLimits limits) {
  Result<config::ListenAddress> address = config::ParseListenAddress(listen);
  if (!address.ok()) return address.status();
  auto impl = std::make_unique<Impl>();
  httplib::Server& http = impl->http;
  http.new_task_queue = [limits] { return new BoundedPool(limits.threads, limits.max_queued); };
  http.set_read_timeout(limits.io_timeout);
  http.set_write_timeout(limits.io_timeout);
  http.set_keep_alive_timeout(limits.io_timeout.count());
  http.set_keep_alive_max_count(static_cast<size_t>(limits.keep_alive_max));
  http.set_payload_max_length(0);
  http.Get(".*", [&site](const httplib::Request& req, httplib::Response& res) {
    Request request;
    request.path = req.path;
    for (const auto& [name, value] : req.params) request.params.emplace(name, value);
    request.host = req.get_header_value("Host");
    Reply reply = site.Handle(request);
    res.status = reply.status;
    for (const auto& [name, value] : reply.headers) res.set_header(name, value);
    res.set_content(std::move(reply.body), reply.content_type.c_str());
  });
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    for (const auto& [name, value] : SecurityHeaders()) res.set_header(name, value);
    res.set_content("HTTP " + std::to_string(res.status) + "\n", "text/plain; charset=utf-8");
  });
  const int port = address->port == 0 ? http.bind_to_any_port(address->host)
                                      : (http.bind_to_port(address->host, address->port)
                                             ? address->port
                                             : -1);
  if (port <= 0) {
    return Status::Unavailable("cannot listen on " + address->ToString() +
                               " (in use, or not an address of this host)");
  }
  impl->port = port;
  impl->thread = std::thread([&http] { http.listen_after_bind(); });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

}  // namespace archivist::web
