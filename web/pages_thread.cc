// The thread pages: the index of threads and one thread as it was at a time T.
//
// A thread at T is the store's ThreadAtTime (the answers present at T, in the listing order
// recorded at or before T, each at the revision in effect) plus what ThreadAtTime leaves out
// on purpose: the answers deleted at or before T and not restored since. Those are found by
// walking the thread's events up to T (the last event of each answer decides), shown after
// the present ones with the text of their last revision before T, and marked with the time
// of the deletion and its evidence as recorded (store/SCHEMA.md: "probe: gone" or "absent
// from K complete listings").
//
// Stepping: the page links to the thread at the event before the state it shows and at the
// next event after T, so a reader walks the history one refresh at a time.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include "normalize/normalize.h"
#include "web/markdown.h"
#include "web/pages.h"

namespace archivist::web {
namespace {

using model::EventKind;

struct DeletedAnswer {
  model::AnswerId id = 0;
  Timestamp at;
  std::string evidence;
};

// Answers whose last answer event at or before `at` is a deletion, in order of deletion.
std::vector<DeletedAnswer> DeletedAt(const std::vector<store::EventRecord>& events, Timestamp at) {
  std::map<model::AnswerId, const store::EventRecord*> last;
  for (const store::EventRecord& e : events) {
    if (e.at > at || !e.answer) continue;
    last[*e.answer] = &e;
  }
  std::vector<DeletedAnswer> out;
  for (const auto& [id, e] : last) {
    if (e->kind == EventKind::kAnswerDeleted) out.push_back({id, e->at, e->details});
  }
  std::sort(out.begin(), out.end(),
            [](const DeletedAnswer& a, const DeletedAnswer& b) { return a.at < b.at; });
  return out;
}

// The viewer's image sources: every link of a stored image of the thread (in any form a
// stored Markdown may hold it) → /media/<sha256>; anything else → "" (no request leaves for a
// source or a proxy: docs/media.md).
Result<ImageSource> ImagesOf(store::Store& store, const store::ThreadKey& key) {
  Result<std::vector<store::MediaRefRecord>> refs = store.MediaRefs(key);
  if (!refs.ok()) return refs.status();
  auto local = std::make_shared<std::unordered_map<std::string, std::string>>();
  const std::vector<std::string> forms =
      normalize::ImageLinkForms(normalize::kDefaultImageProxy);
  for (const store::MediaRefRecord& r : *refs) {
    if (r.status != store::MediaStatus::kStored) continue;
    for (const std::string& form : forms) {
      (*local)[normalize::ImageLink(r.url, form)] = "/media/" + r.sha256;
    }
  }
  return ImageSource([local](std::string_view url) {
    auto it = local->find(std::string(url));
    return it == local->end() ? std::string() : it->second;
  });
}

std::string AnswerBlock(const store::ThreadKey& thread, model::AnswerId id, int revision,
                        const std::string& author, const std::string& markdown,
                        const DeletedAnswer* deleted, const ImageSource& images) {
  const store::AnswerKey key{thread.source, id, thread.id};
  std::string out = "<article class=\"answer";
  out += deleted ? " deleted\"" : "\"";
  out += " id=\"a" + std::to_string(id) + "\">\n<p class=\"meta\">";
  if (deleted) {
    out += "<span class=\"badge\">deleted</span> " + PageTime(deleted->at) + " — <span lang=\"" +
           std::string(LangOf(deleted->evidence)) + "\">" + Escape(deleted->evidence) +
           "</span><br>";
  }
  out += "<a href=\"" + AnswerLink(key) + "\">answer " + std::to_string(id) + "</a>";
  if (!author.empty()) {
    out += " by <span lang=\"" + std::string(LangOf(author)) + "\">" + Escape(author) + "</span>";
  }
  out += " · revision " + std::to_string(revision) + "</p>\n<div lang=\"" +
         std::string(LangOf(markdown)) + "\">\n" + MarkdownToHtml(markdown, images) + "</div>\n</article>\n";
  return out;
}

// The text of `id`'s last revision observed at or before `at`.
Result<store::RevisionRecord> RevisionAt(store::Store& store, const store::AnswerKey& key,
                                         Timestamp at) {
  Result<std::vector<store::RevisionRecord>> revisions = store.Revisions(key);
  if (!revisions.ok()) return revisions.status();
  int number = 0;
  for (const store::RevisionRecord& r : *revisions) {
    if (r.observed_at <= at) number = r.number;
  }
  if (number == 0) return Status::NotFound("no revision of " + ToString(key) + " before then");
  return store.GetRevision(key, number);
}

// The previous / next event links around the state shown (`shown` = its last event).
std::string StepLinks(const store::ThreadKey& key, const std::vector<store::EventRecord>& events,
                      Timestamp shown, Timestamp at) {
  std::optional<Timestamp> prev, next;
  for (const store::EventRecord& e : events) {
    if (e.at < shown) prev = e.at;
    if (e.at > at && !next) next = e.at;
  }
  std::string out = "<nav class=\"nav\" lang=\"en\"><span>";
  if (prev) out += "<a rel=\"prev\" href=\"" + QuestionAt(key, *prev) + "\">← previous event</a>";
  out += "</span><span>";
  if (next) out += "<a rel=\"next\" href=\"" + QuestionAt(key, *next) + "\">next event →</a>";
  out += "</span></nav>\n";
  return out;
}

std::string Timeline(const store::ThreadKey& key, const std::vector<store::EventRecord>& events) {
  std::string out = "<h2 lang=\"en\">History</h2>\n<ol class=\"meta\" lang=\"en\" reversed>\n";
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    out += "<li><a href=\"" + QuestionAt(key, it->at) + "\">" + PageTime(it->at) + "</a> " +
           std::string(model::EventKindName(it->kind));
    if (it->answer) out += " " + std::to_string(*it->answer);
    if (it->revision > 0) out += " r" + std::to_string(it->revision);
    out += "</li>\n";
  }
  return out + "</ol>\n";
}

}  // namespace

Reply ErrorPage(int status, std::string_view message) {
  Reply reply;
  reply.status = status;
  reply.body = PageStart("error " + std::to_string(status)) + "<h1>" + std::to_string(status) +
               "</h1>\n<p>" + Escape(message) + "</p>\n" + PageEnd();
  return reply;
}

Reply StatusPage(const Status& status) {
  if (status.code() == Status::Code::kNotFound) return ErrorPage(404, status.message());
  if (status.code() == Status::Code::kInvalidArgument) return ErrorPage(400, status.message());
  return ErrorPage(500, status.ToString());
}

std::string AnswerLink(const store::AnswerKey& key) {
  return "/answer/" + std::to_string(key.id) + "?question=" + std::to_string(key.question);
}

std::string QuestionAt(const store::ThreadKey& key, Timestamp at) {
  return "/question/" + std::to_string(key.id) + "?at=" + UrlEncode(UrlTime(at));
}

Reply IndexPage(store::Store& store, size_t page) {
  Result<std::vector<store::ThreadSummary>> threads = store.ListThreads();
  if (!threads.ok()) return StatusPage(threads.status());
  std::stable_sort(threads->begin(), threads->end(), [](const auto& a, const auto& b) {
    return a.last_event.value_or(a.added_at) > b.last_event.value_or(b.added_at);
  });
  const size_t pages = std::max<size_t>(1, (threads->size() + kIndexPageSize - 1) / kIndexPageSize);
  page = std::clamp<size_t>(page, 1, pages);
  const size_t first = (page - 1) * kIndexPageSize;
  const size_t last = std::min(threads->size(), first + kIndexPageSize);
  std::string nav = "<p class=\"meta\" lang=\"en\">" + std::to_string(threads->size()) +
                    " threads · page " + std::to_string(page) + " of " + std::to_string(pages);
  if (page > 1) nav += " · <a href=\"/?page=" + std::to_string(page - 1) + "\">newer</a>";
  if (page < pages) nav += " · <a href=\"/?page=" + std::to_string(page + 1) + "\">older</a>";
  nav += "</p>\n";
  Reply reply;
  reply.body = PageStart("threads") + "<h1 lang=\"en\">Threads</h1>\n" + nav +
               "<table>\n<thead lang=\"en\">"
               "<tr><th>question</th><th>answers</th><th>last change</th></tr></thead>\n<tbody>\n";
  for (size_t i = first; i < last; ++i) {
    const store::ThreadSummary& t = (*threads)[i];
    const std::string title = t.title.empty() ? ToString(t.key) + " (not archived yet)" : t.title;
    reply.body += "<tr><td><a lang=\"" + std::string(LangOf(title)) + "\" href=\"/question/" +
                  std::to_string(t.key.id) + "\">" + Escape(title) + "</a>";
    if (t.gone) reply.body += " <span class=\"badge\">gone</span>";
    if (t.tracking != store::Tracking::kActive) {
      reply.body += " <span class=\"meta\">(" + std::string(store::TrackingName(t.tracking)) + ")</span>";
    }
    reply.body += "</td><td>" + std::to_string(t.present_answers) + "</td><td>" +
                  (t.last_event ? PageTime(*t.last_event) : std::string("—")) + "</td></tr>\n";
  }
  reply.body += "</tbody>\n</table>\n" + (pages > 1 ? nav : std::string()) + PageEnd();
  return reply;
}

Reply QuestionPage(store::Store& store, const store::ThreadKey& key, Timestamp at, bool at_given) {
  Result<store::ThreadAt> thread = store.ThreadAtTime(key, at);
  if (!thread.ok()) return StatusPage(thread.status());
  Result<std::vector<store::EventRecord>> events = store.Events({key, std::nullopt, std::nullopt});
  if (!events.ok()) return StatusPage(events.status());
  const std::vector<DeletedAnswer> deleted = DeletedAt(*events, at);
  Result<ImageSource> images = ImagesOf(store, key);
  if (!images.ok()) return StatusPage(images.status());
  Reply reply;
  std::string& out = reply.body;
  out = PageStart(thread->title, LangOf(thread->title));
  out += "<h1>" + Escape(thread->title) + "</h1>\n<p class=\"meta\" lang=\"en\">question " +
         std::to_string(key.id) + " · " + std::to_string(thread->answers.size()) + " answers";
  if (!deleted.empty()) out += ", " + std::to_string(deleted.size()) + " deleted";
  out += at_given ? " · as it was at " + PageTime(at) + " (<a href=\"/question/" +
                        std::to_string(key.id) + "\">now</a>)"
                  : " · now";
  out += " · last change " + PageTime(thread->last_event) + " · <a href=\"/feeds/" +
         std::to_string(key.id) + ".atom\">feed</a></p>\n";
  out += StepLinks(key, *events, thread->last_event, at);
  for (const store::AnswerAt& a : thread->answers) {
    out += AnswerBlock(key, a.id, a.revision, a.author_name, a.markdown, nullptr, *images);
  }
  for (const DeletedAnswer& d : deleted) {
    Result<store::RevisionRecord> r = RevisionAt(store, {key.source, d.id, key.id}, d.at);
    if (!r.ok()) return StatusPage(r.status());
    out += AnswerBlock(key, d.id, r->number, r->author_name, r->markdown, &d, *images);
  }
  out += StepLinks(key, *events, thread->last_event, at);
  out += Timeline(key, *events) + PageEnd();
  return reply;
}

Reply MediaReply(store::Store& store, std::string_view sha256) {
  const bool hex = sha256.size() == 64 &&
                   sha256.find_first_not_of("0123456789abcdef") == std::string_view::npos;
  if (!hex) return ErrorPage(404, "no such image");
  Result<store::MediaBlob> blob = store.GetMedia(std::string(sha256));
  if (!blob.ok()) return StatusPage(blob.status());
  Reply reply;
  // Stored only when the server said image/…; anything else is served as bytes, never as a
  // document the browser would render.
  reply.content_type = blob->media_type.rfind("image/", 0) == 0 &&
                               blob->media_type.find_first_of("\r\n;") == std::string::npos
                           ? blob->media_type
                           : "application/octet-stream";
  reply.body = std::move(blob->data);
  reply.headers.push_back({"Cache-Control", "public, max-age=31536000, immutable"});
  return reply;
}

}  // namespace archivist::web
