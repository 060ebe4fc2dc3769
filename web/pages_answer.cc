// The answer pages: one answer's revisions, and two of its revisions side by side.
//
// An answer id is unique per thread only (store/store.h AnswerKey): without ?question= the
// store refuses an ambiguous id, and the page then lists the threads that hold it (found by
// asking each thread, which only happens for such an id).
#include <optional>
#include <string>
#include <vector>

#include "diff/word_diff.h"
#include "web/pages.h"
#include "web/side_by_side.h"

namespace archivist::web {
namespace {

Reply Choices(store::Store& store, const store::AnswerKey& key) {
  Result<std::vector<store::ThreadSummary>> threads = store.ListThreads();
  if (!threads.ok()) return StatusPage(threads.status());
  Reply reply;
  reply.body = PageStart("answer " + std::to_string(key.id)) + "<h1>answer " +
               std::to_string(key.id) + "</h1>\n<p>This answer id is under several questions:</p>\n<ul>\n";
  for (const store::ThreadSummary& t : *threads) {
    const store::AnswerKey scoped{key.source, key.id, t.key.id};
    if (!store.Revisions(scoped).ok()) continue;
    reply.body += "<li><a href=\"" + AnswerLink(scoped) + "\" lang=\"" +
                  std::string(LangOf(t.title)) + "\">" + Escape(t.title) + "</a></li>\n";
  }
  reply.body += "</ul>\n" + PageEnd();
  return reply;
}

// The answer's revisions, oldest first, with its key scoped to its question; or, when there
// is nothing to show, the page to send instead (the questions to choose from for an id under
// several, an error).
struct Revisions {
  std::vector<store::RevisionRecord> list;
  store::AnswerKey scoped;
  std::optional<Reply> instead;
};

Revisions LoadRevisions(store::Store& store, const store::AnswerKey& key) {
  Revisions out;
  Result<std::vector<store::RevisionRecord>> revisions = store.Revisions(key);
  if (!revisions.ok() && key.question == 0 &&
      revisions.status().code() == Status::Code::kInvalidArgument) {
    out.instead = Choices(store, key);
  } else if (!revisions.ok()) {
    out.instead = StatusPage(revisions.status());
  } else if (revisions->empty()) {
    out.instead = ErrorPage(404, "answer " + ToString(key) + " has no revision");
  } else {
    out.list = std::move(*revisions);
    out.scoped = {key.source, key.id, out.list.front().question};
  }
  return out;
}

std::string SourceTime(int64_t unix_seconds) {
  return unix_seconds > 0 ? PageTime(Timestamp::FromSeconds(unix_seconds)) : std::string("—");
}

}  // namespace

Reply AnswerPage(store::Store& store, const store::AnswerKey& key) {
  Revisions loaded = LoadRevisions(store, key);
  if (loaded.instead) return std::move(*loaded.instead);
  const std::vector<store::RevisionRecord>& revisions = loaded.list;
  const store::AnswerKey& scoped = loaded.scoped;
  Result<store::ThreadSummary> thread = store.GetThread({key.source, scoped.question});
  const std::string title = thread.ok() ? thread->title : std::string();
  const std::string& author = revisions.back().author_name;
  Reply reply;
  std::string& out = reply.body;
  out = PageStart("answer " + std::to_string(key.id) + (author.empty() ? "" : " by " + author));
  out += "<h1>answer " + std::to_string(key.id);
  if (!author.empty()) out += " by <span lang=\"" + std::string(LangOf(author)) + "\">" + Escape(author) + "</span>";
  out += "</h1>\n<p>in <a href=\"/question/" + std::to_string(scoped.question) + "#a" +
         std::to_string(key.id) + "\" lang=\"" + std::string(LangOf(title)) + "\">" +
         Escape(title.empty() ? "question " + std::to_string(scoped.question) : title) + "</a></p>\n";
  out += "<table>\n<thead><tr><th>revision</th><th>seen</th><th>edited at the source</th>"
         "<th>author</th><th>size</th><th></th></tr></thead>\n<tbody>\n";
  std::string previous;
  for (const store::RevisionRecord& meta : revisions) {
    Result<store::RevisionRecord> r = store.GetRevision(scoped, meta.number);
    if (!r.ok()) return StatusPage(r.status());
    const diff::EditSize size = diff::MeasureEdit(previous, r->markdown);
    out += "<tr><td>" + std::to_string(r->number) + "</td><td><a href=\"" +
           QuestionAt({key.source, scoped.question}, r->observed_at) + "#a" + std::to_string(key.id) +
           "\">" + PageTime(r->observed_at) + "</a></td><td>" + SourceTime(r->updated_time) +
           "</td><td lang=\"" + std::string(LangOf(r->author_name)) + "\">" + Escape(r->author_name) +
           "</td><td>" + std::to_string(diff::CodePoints(r->markdown)) + " (+" +
           std::to_string(size.added) + " −" + std::to_string(size.removed) + ")</td><td>";
    if (r->number > 1) {
      out += "<a href=\"/answer/" + std::to_string(key.id) + "/diff?question=" +
             std::to_string(scoped.question) + "&amp;from=" + std::to_string(r->number - 1) +
             "&amp;to=" + std::to_string(r->number) + "\">diff</a>";
    }
    out += "</td></tr>\n";
    previous = std::move(r->markdown);
  }
  out += "</tbody>\n</table>\n" + PageEnd();
  return reply;
}

Reply DiffPage(store::Store& store, const store::AnswerKey& key, int from, int to,
               const diff::Segmenter& segment) {
  Revisions loaded = LoadRevisions(store, key);
  if (loaded.instead) return std::move(*loaded.instead);
  const std::vector<store::RevisionRecord>& revisions = loaded.list;
  const store::AnswerKey& scoped = loaded.scoped;
  const int latest = revisions.back().number;
  if (to == 0) to = latest;
  if (from == 0) from = to > 1 ? to - 1 : to;
  Result<store::RevisionRecord> a = store.GetRevision(scoped, from);
  if (!a.ok()) return StatusPage(a.status());
  Result<store::RevisionRecord> b = store.GetRevision(scoped, to);
  if (!b.ok()) return StatusPage(b.status());
  const Columns columns = SideBySide(a->markdown, b->markdown, segment);
  const std::string lang(LangOf(a->markdown + b->markdown));
  Reply reply;
  std::string& out = reply.body;
  out = PageStart("answer " + std::to_string(key.id) + ": revision " + std::to_string(from) +
                  " → " + std::to_string(to));
  out += "<h1>answer <a href=\"" + AnswerLink(scoped) + "\">" + std::to_string(key.id) +
         "</a>: revision " + std::to_string(from) + " → " + std::to_string(to) + "</h1>\n";
  auto side = [&](const store::RevisionRecord& r) {
    return "<p class=\"meta\">revision " + std::to_string(r.number) + " · seen " +
           PageTime(r.observed_at) + " · edited at the source " + SourceTime(r.updated_time) +
           " · <span lang=\"" + std::string(LangOf(r.author_name)) + "\">" + Escape(r.author_name) +
           "</span></p>\n";
  };
  out += "<div class=\"sbs\">\n<section>" + side(*a) + "<pre lang=\"" + lang + "\">" +
         columns.left + "</pre></section>\n<section>" + side(*b) + "<pre lang=\"" + lang + "\">" +
         columns.right + "</pre></section>\n</div>\n" + PageEnd();
  return reply;
}

}  // namespace archivist::web
