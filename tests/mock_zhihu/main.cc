// mock_zhihu: the mock Zhihu API as a command-line server, for tests and for trying
// archivist offline.
//
//   mock_zhihu --root tests/data/zhihu/questions [--root tests/data/seed/questions]
//              [--port 0] [--bind 127.0.0.1] [--page-size N] [--faults FILE] [--no-log]
//              [--web [--no-signatures]]
//
// Prints the bound port (just the number) on the first line of stdout and
// serves until killed. Faults: --faults FILE (re-read on each request) or PUT /_mock/faults.
// --web also serves the web app (question pages whose script signs its /feeds requests) and
// refuses unsigned listing requests, unless --no-signatures (or PUT /_mock/signatures off).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>

#include "tests/mock_zhihu/http_server.h"
#include "tests/mock_zhihu/zhihu_mock.h"

int main(int argc, char** argv) {
  CLI::App app{"mock_zhihu: a mock of Zhihu's web API serving fixture dumps", "mock_zhihu"};
  mock_zhihu::MockOptions options;
  std::string bind = "127.0.0.1";
  uint16_t port = 0;
  bool no_log = false, no_signatures = false;
  app.add_option("--root", options.roots, "folder of <qid>/{question,answers}.json dumps (repeatable)")
      ->required();
  app.add_option("--port", port, "port to listen on; 0 = ephemeral (printed on stdout)");
  app.add_option("--bind", bind, "address to listen on");
  app.add_option("--page-size", options.page_size, "listing page size, whatever `limit` asks (0 = honour limit)");
  app.add_option("--faults", options.faults_file, "faults file, re-read on every request");
  app.add_flag("--no-log", no_log, "do not keep the request log (/_mock/requests)");
  app.add_flag("--web", options.web, "also serve the web app; /feeds and /answers need its signature");
  app.add_flag("--no-signatures", no_signatures, "web mode: accept unsigned /feeds and /answers requests");
  CLI11_PARSE(app, argc, argv);
  options.log_requests = !no_log;
  options.signatures = !no_signatures;
  for (const std::string& root : options.roots) {
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec)) {
      std::fprintf(stderr, "mock_zhihu: --root '%s' is not a directory\n", root.c_str());
      return 2;
    }
  }
  mock_zhihu::ZhihuMock mock(options);
  const std::string error = mock_zhihu::Serve(
      bind, port, [&mock](const mock_zhihu::Request& req) { return mock.Handle(req); },
      [](uint16_t bound) {
        std::printf("%u\n", static_cast<unsigned>(bound));
        std::fflush(stdout);
      });
  std::fprintf(stderr, "mock_zhihu: %s\n", error.c_str());
  return 1;
}
