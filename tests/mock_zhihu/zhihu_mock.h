// The mock Zhihu API: serves question dumps in the fixture layout
// (<root>/<qid>/{question.json,answers.json}) the way Zhihu's web API does, with faults.
//
// Routes (docs/fetch.md has the whole interface):
//   GET /api/v4/questions/<qid>                  question.json
//   GET /api/v4/questions/<qid>/feeds?limit&offset   question_feed_card pages of answers.json
//   GET /api/v4/questions/<qid>/answers?limit&offset the older listing (paging.totals)
//   GET /api/v4/answers/<aid>                    one answer, or 404 with error code 4041
//   GET /api/v3/feed/topstory/hot-lists/total?limit=N   the first N questions of the roots
//   GET /account/unhuman                         the captcha page (HTML)
//   GET|DELETE /_mock/requests                   the request log (JSON) / clear it
//   GET|PUT|DELETE /_mock/faults                 faults set in memory (see faults.h)
// Dumps are read from disk on every request (parsed copies are cached by content hash), so a
// test edits a dump between refreshes to script additions, edits and deletions.
//
// Thread-safety: Handle is called concurrently; all state is behind mutexes.
#ifndef ARCHIVIST_TESTS_MOCK_ZHIHU_ZHIHU_MOCK_H_
#define ARCHIVIST_TESTS_MOCK_ZHIHU_ZHIHU_MOCK_H_

#include <nlohmann/json.hpp>

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tests/mock_zhihu/faults.h"
#include "tests/mock_zhihu/http_server.h"

namespace mock_zhihu {

struct MockOptions {
  std::vector<std::string> roots;  // folders of <qid>/ dumps, searched in order
  int page_size = 0;               // > 0: pages of this size whatever `limit` asks
  std::string faults_file;         // re-read on every request; "" = none
  bool log_requests = true;
};

class ZhihuMock {
 public:
  explicit ZhihuMock(MockOptions options);
  Reply Handle(const Request& req);

 private:
  using Json = nlohmann::json;
  Reply Control(const Request& req);
  Reply Question(const RequestInfo& info);
  Reply Listing(const Request& req, const RequestInfo& info, const std::optional<Fault>& fault);
  Reply Answer(const RequestInfo& info);
  Reply Hot(const Request& req);
  std::string QuestionDir(const std::string& qid) const;  // "" when absent
  std::shared_ptr<const Json> LoadAnswers(const std::string& dir);
  RequestInfo Route(const Request& req) const;
  void Log(const Request& req);

  MockOptions options_;
  FaultBook faults_;
  std::mutex mu_;
  std::map<std::string, std::pair<size_t, std::shared_ptr<const Json>>> cache_;  // path → (hash, json)
  std::map<std::string, std::string> answer_dirs_;  // answer id → question dir (a hint)
  std::deque<Json> log_;
};

}  // namespace mock_zhihu

#endif  // ARCHIVIST_TESTS_MOCK_ZHIHU_ZHIHU_MOCK_H_
