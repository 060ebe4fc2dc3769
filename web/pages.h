// web/pages: the viewer's pages, each a pure function of the store's contents (and of the
// request's parameters), written to HTML with web/html.h and web/markdown.h. site.cc routes
// requests to them; the tests call them through Site.
//
// Every function returns a full Reply: 200 with the page, 404 naming what is not in the
// archive, 400 naming the bad parameter, 500 for a store error (its message escaped).
//
// Thread-safety: the store is borrowed and used from the calling thread only.
#ifndef ARCHIVIST_WEB_PAGES_H_
#define ARCHIVIST_WEB_PAGES_H_

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "base/time.h"
#include "diff/word_tokens.h"
#include "store/store.h"
#include "web/html.h"

namespace archivist::web {

struct Reply {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  Headers headers;  // besides SecurityHeaders(), which Site adds to every reply
};

// A page saying what went wrong: `status`, a heading and the (escaped) message.
Reply ErrorPage(int status, std::string_view message);
// 404 for kNotFound, 400 for kInvalidArgument, else 500.
Reply StatusPage(const Status& status);

// "/": every thread, the most recent change first.
// The threads, recent changes first, kIndexPageSize a page (`page` from 1; the last page
// when beyond it), with links to the newer and older pages.
inline constexpr size_t kIndexPageSize = 100;
Reply IndexPage(store::Store& store, size_t page = 1);
// "/question/<qid>[?at=T]": the thread as it was at `at` (default `now`).
Reply QuestionPage(store::Store& store, const store::ThreadKey& key, Timestamp at, bool at_given);
// "/answer/<aid>[?question=Q]": its revisions; with several questions and none given, the
// choices.
Reply AnswerPage(store::Store& store, const store::AnswerKey& key);
// "/answer/<aid>/diff?from=N&to=M": side by side (0 = the default: to the latest, from to-1).
Reply DiffPage(store::Store& store, const store::AnswerKey& key, int from, int to,
               const diff::Segmenter& segment);
// "/changes?since=T": every event of the archive since T, newest first (at most `limit`).
Reply ChangesPage(store::Store& store, Timestamp since, std::string_view since_text,
                  size_t limit);

// "/media/<sha256>": a stored image, its media type as stored, cached for good (the name is
// the content's hash); 404 for any other name.
Reply MediaReply(store::Store& store, std::string_view sha256);

// Helpers shared by the page files.
std::string AnswerLink(const store::AnswerKey& key);  // "/answer/<aid>?question=<qid>"
std::string QuestionAt(const store::ThreadKey& key, Timestamp at);  // "/question/<qid>?at=…"
// "answer by X edited in «title»", for the changes page and the feeds.
std::string EventTitle(const store::ChangeRecord& change);

}  // namespace archivist::web

#endif  // ARCHIVIST_WEB_PAGES_H_
