// Fault injection for the mock Zhihu server: which requests misbehave, and how.
//
// A fault is one line of `key=value` words (a value may be "double quoted"); `#` starts a
// comment. The first fault whose filters match a request applies. docs/fetch.md lists them:
//   route=question|feeds|answers|answer|hot|any   (default any)
//         question_page|answer_page|hot_page|static  the web mode's pages and /static/*
//   qid=<question id>  aid=<answer id>            only that question / answer
//   page=N  from_page=N                           listing pages (1-based) only; in web mode
//                                                 a /feeds page is paging.page = offset+1
//   times=N                                       apply N times, then the fault is spent
//   action=status status=403 [code=40362] [message="..."] [retry_after=120]
//   action=delay ms=N           then answer normally, N ms late
//   action=cut                  declare the full Content-Length, send half, close
//   action=reset                reset the connection without a response
//   action=bad_json             200 with a body that is not JSON
//   action=truncated_json       200 with the real body cut in half (honest Content-Length)
//   action=force_login          need_force_login: true on the page
//   action=truncate_content     the page's first answer: content_need_truncated, content cut
//   action=captcha              302 to /account/unhuman?type=unhuman
//   action=loop                 paging.next points to the same page, is_end false
//   action=loop_forward         past the last page: is_end false, next = a later offset
//   action=huge bytes=N         200 with an N-byte body (streamed)
//   action=gzip                 the real body, gzip-encoded
//   action=foreign_card         an extra non-answer card at the top of a /feeds page
// Web mode (a fault matching a question's page and its /feeds, e.g. `qid=Q action=endless`):
//   action=login_wall answers=N answers past the Nth are behind a login wall: the page says
//                               needForceLogin (N <= 5), /feeds need_force_login from answer N
//   action=endless              the listing never ends: pages forever, answers repeating
//   action=never_load           the page references a stylesheet that never finishes loading
#ifndef ARCHIVIST_TESTS_MOCK_ZHIHU_FAULTS_H_
#define ARCHIVIST_TESTS_MOCK_ZHIHU_FAULTS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mock_zhihu {

struct RequestInfo {
  std::string route;  // question, feeds, answers, answer, hot, other; in web mode also
                      // question_page, answer_page, hot_page, signin, static
  std::string qid, aid;
  int page = 0;       // 1-based for listing routes, else 0
};

struct Fault {
  std::string route = "any";
  std::string qid, aid;
  int page = 0, from_page = 0;
  int64_t times = -1;  // -1 = forever
  std::string action;
  std::map<std::string, std::string> args;  // every other key=value

  bool Matches(const RequestInfo& r) const;
  std::string Arg(const std::string& key, const std::string& fallback = "") const;
};

// Parses fault lines; on error returns nullopt and sets *error to "line N: what is wrong".
std::optional<std::vector<Fault>> ParseFaults(const std::string& text, std::string* error);

// Faults set over the control endpoint, plus those of a faults file re-read on every request
// (counts of `times` survive as long as the file's text is unchanged).
class FaultBook {
 public:
  explicit FaultBook(std::string file) : file_(std::move(file)) {}
  // Returns the fault to apply (a copy), consuming one of its `times`.
  std::optional<Fault> Take(const RequestInfo& r);
  void Set(std::vector<Fault> faults);
  std::string Describe();

 private:
  std::optional<Fault> TakeFrom(std::vector<Fault>& list, const RequestInfo& r);
  std::string file_;
  std::mutex mu_;
  std::vector<Fault> memory_;
  std::string file_text_;
  std::vector<Fault> file_faults_;
};

}  // namespace mock_zhihu

#endif  // ARCHIVIST_TESTS_MOCK_ZHIHU_FAULTS_H_
