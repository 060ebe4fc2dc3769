// fetch_bench: the fetch layer's two numbers (docs/fetch.md "Benchmark").
//
//  1. Requests per second one client thread sustains against mock_zhihu on loopback: one
//     CurlHttpClient, sequential GETs (keep-alive), for the question endpoint (~1 KB) and for
//     a /feeds page of 20 answers.
//  2. Peak RSS of `archivist fetch --json` on the largest fixture question (by answers.json
//     size), measured as the child's ru_maxrss.
//
//   fetch_bench --mock build/tests/mock_zhihu/mock_zhihu --archivist build/cli/archivist
//               --data tests/data [--seconds 3]
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "fetch/curl_http_client.h"
#include "tests/support/mock_process.h"

namespace fs = std::filesystem;
using archivist::fetch::CurlHttpClient;

namespace {

double RequestsPerSecond(CurlHttpClient& client, const std::string& url, double seconds, size_t* bytes) {
  using Clock = std::chrono::steady_clock;  // a benchmark measures real time by definition
  const auto start = Clock::now();
  size_t n = 0;
  *bytes = 0;
  while (true) {
    auto r = client.Perform({url, {}});
    if (r.status != 200) {
      std::fprintf(stderr, "fetch_bench: %s: HTTP %d %s\n", url.c_str(), r.status, r.error_message.c_str());
      std::exit(1);
    }
    *bytes = r.body.size();
    ++n;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (elapsed >= seconds) return n / elapsed;
  }
}

long PeakRssKb(const std::vector<std::string>& args) {
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "fetch_bench: archivist fetch failed (status %d)\n", status);
    std::exit(1);
  }
  return ru.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mock, archivist, data;
  double seconds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--mock") mock = v;
    else if (k == "--archivist") archivist = v;
    else if (k == "--data") data = v;
    else if (k == "--seconds") seconds = std::atof(v.c_str());
  }
  if (mock.empty() || archivist.empty() || data.empty()) {
    std::fprintf(stderr, "usage: fetch_bench --mock PATH --archivist PATH --data DIR [--seconds S]\n");
    return 2;
  }
  setenv("MOCK_ZHIHU", mock.c_str(), 1);
  const std::vector<std::string> roots = {data + "/zhihu/questions", data + "/seed/questions"};
  archivist::e2e::MockProcess server(roots, {"--no-log"});
  if (!server.ok()) {
    std::fprintf(stderr, "fetch_bench: %s\n", server.error().c_str());
    return 1;
  }
  fs::path largest;
  uintmax_t largest_size = 0;
  for (const auto& root : roots) {
    for (const auto& e : fs::directory_iterator(root)) {
      const uintmax_t size = fs::file_size(e.path() / "answers.json");
      if (size > largest_size) largest_size = size, largest = e.path();
    }
  }
  const std::string qid = largest.filename().string();
  auto client = CurlHttpClient::Create({});
  if (!client.ok()) return 1;
  size_t bytes = 0;
  const std::string q_url = server.base_url() + "/api/v4/questions/" + qid;
  double rps = RequestsPerSecond(**client, q_url, seconds, &bytes);
  std::printf("one thread, question endpoint (%zu B body): %.0f requests/s\n", bytes, rps);
  const std::string page_url = q_url + "/feeds?limit=20&offset=0&order=default&platform=desktop";
  rps = RequestsPerSecond(**client, page_url, seconds, &bytes);
  std::printf("one thread, /feeds page of 20 answers (%zu B body): %.0f requests/s\n", bytes, rps);
  const long kb = PeakRssKb({archivist, "--zhihu-base-url", server.base_url(), "fetch", qid, "--json",
                             "--delay", "0"});
  std::printf("peak RSS of `archivist fetch --json %s` (largest fixture, answers.json %ju B): %ld KiB\n",
              qid.c_str(), largest_size, kb);
  return 0;
}
