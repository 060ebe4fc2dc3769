// The mock Zhihu API: serves question dumps in the fixture layout
// (<root>/<qid>/{question.json,answers.json}) the way Zhihu's web API does, with faults.
// In web mode it also serves the web app a browser reads (zhihu_web.cc): question pages with
// their js-initialData and a script that signs its /feeds requests, which the server then
// requires.
//
// Routes (docs/fetch.md has the whole interface):
//   GET /api/v4/questions/<qid>                  question.json
//   GET /api/v4/questions/<qid>/feeds?limit&offset   question_feed_card pages of answers.json
//   GET /api/v4/questions/<qid>/answers?limit&offset the older listing (paging.totals)
//   GET /api/v4/answers/<aid>                    one answer, or 404 with error code 4041
//   GET /api/v3/feed/topstory/hot-lists/total?limit=N   the first N questions of the roots
//   GET /account/unhuman                         the captcha page (HTML)
// Web mode only:
//   GET /question/<qid>                          the question page (HTML, the first 5 answers)
//   GET /question/<qid>/answer/<aid>, /answer/<aid>   the single-answer page / a redirect to it
//   GET /hot, GET|POST /signin                   the hot list (needs z_c0) / the login page
//   GET /static/app.js                           the page script (signs /feeds requests)
//   GET /static/pending.css                      never completes (the never_load fault)
//   GET|DELETE /_mock/requests                   the request log (JSON) / clear it
//   GET|PUT|DELETE /_mock/faults                 faults set in memory (see faults.h)
//   GET|PUT /_mock/signatures                    web mode: "on" / "off" signature checks
// Dumps are read from disk on every request (parsed copies are cached by content hash), so a
// test edits a dump between refreshes to script additions, edits and deletions.
//
// Thread-safety: Handle is called concurrently; all state is behind mutexes.
#ifndef ARCHIVIST_TESTS_MOCK_ZHIHU_ZHIHU_MOCK_H_
#define ARCHIVIST_TESTS_MOCK_ZHIHU_ZHIHU_MOCK_H_

#include <nlohmann/json.hpp>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/mock_zhihu/faults.h"
#include "tests/mock_zhihu/http_server.h"

namespace mock_zhihu {

struct MockOptions {
  std::vector<std::string> roots;  // folders of <qid>/ dumps, searched in order
  int page_size = 0;               // > 0: pages of this size whatever `limit` asks
  std::string faults_file;         // re-read on every request; "" = none
  bool log_requests = true;
  bool web = false;         // also serve the web app; /feeds and /answers need a signature
  bool signatures = true;   // web mode: refuse unsigned listing requests (403, code 10003)
};

class ZhihuMock {
 public:
  explicit ZhihuMock(MockOptions options);
  Reply Handle(const Request& req);

 private:
  using Json = nlohmann::json;
  Reply Dispatch(const Request& req, const RequestInfo& info);
  std::optional<Reply> FaultReply(const Request& req, const RequestInfo& info, const Fault& fault);
  Reply Control(const Request& req);
  Reply Question(const RequestInfo& info);
  Reply Listing(const Request& req, const RequestInfo& info, const std::optional<Fault>& fault);
  Reply Answer(const RequestInfo& info);
  Reply Hot(const Request& req);
  std::string QuestionDir(const std::string& qid) const;  // "" when absent
  std::shared_ptr<const Json> LoadAnswers(const std::string& dir);
  // The answer with this id and the folder of its question, searching every root if needed.
  std::optional<std::pair<std::string, Json>> FindAnswer(const std::string& aid);
  // The first `limit` questions of the roots by id: (qid, question.json).
  std::vector<std::pair<std::string, Json>> HotQuestions(int64_t limit) const;
  RequestInfo Route(const Request& req) const;
  void RouteWeb(const std::vector<std::string>& parts, RequestInfo* info) const;
  int64_t Log(const Request& req, const RequestInfo& info);  // returns the entry's number
  void LogStatus(int64_t seq, int status);

  // Web mode (zhihu_web.cc).
  Reply WebRoute(const Request& req, const RequestInfo& info, const std::optional<Fault>& fault);
  bool SignatureValid(const Request& req) const;
  Reply QuestionPageReply(const Request& req, const RequestInfo& info, const std::optional<Fault>& fault);
  Reply AnswerPageReply(const Request& req, const RequestInfo& info, const std::optional<Fault>& fault);
  Reply HotPageReply(const Request& req);
  Reply SigninReply(const Request& req);
  Reply StaticReply(const Request& req);
  Reply WebFeeds(const Request& req, const RequestInfo& info, const std::optional<Fault>& fault);
  Reply WebError(const Request& req, int status, const std::string& code, const std::string& message);
  std::string NewSessionId();

  MockOptions options_;
  FaultBook faults_;
  std::mutex mu_;
  std::map<std::string, std::pair<size_t, std::shared_ptr<const Json>>> cache_;  // path → (hash, json)
  std::map<std::string, std::string> answer_dirs_;  // answer id → question dir (a hint)
  std::deque<Json> log_;
  int64_t log_base_ = 0;            // number of log_.front()
  const std::string key_;           // the page script's signing key, random per process
  std::atomic<bool> signatures_;
  std::atomic<uint64_t> sessions_;  // feeds session ids handed out
};

}  // namespace mock_zhihu

#endif  // ARCHIVIST_TESTS_MOCK_ZHIHU_ZHIHU_MOCK_H_
