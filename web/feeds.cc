#include "web/feeds.h"

#include "web/viewer.h"

#include <filesystem>
#include <map>

#include "base/atomic_file.h"
#include "web/html.h"
#include "web/pages.h"

namespace archivist::web {
namespace {

using model::EventKind;

std::string EntryId(const store::EventRecord& e) {
  return "tag:archivist.invalid,2026:event/" + e.thread.source + "/" + std::to_string(e.thread.id) +
         "/" + std::to_string(e.at.micros()) + "/" + std::string(model::EventKindName(e.kind)) +
         "/" + std::to_string(e.answer.value_or(0)) + "/" + std::to_string(e.revision);
}

std::string Entry(const store::ChangeRecord& c, const std::string& base_url) {
  std::string out = "<entry>\n<id>" + Escape(EntryId(c.event)) + "</id>\n<title>" +
                    Escape(EventTitle(c)) + "</title>\n<updated>" + c.event.at.ToIso8601() +
                    "</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"" +
                    Escape(EventLink(c, base_url)) + "\"/>\n";
  if (!c.author.empty()) out += "<author><name>" + Escape(c.author) + "</name></author>\n";
  if (!c.event.details.empty()) out += "<summary>" + Escape(c.event.details) + "</summary>\n";
  return out + "</entry>\n";
}

std::string Feed(const std::vector<store::ChangeRecord>& changes, const std::string& feed_id,
                 const std::string& title, const std::string& base_url, const std::string& self,
                 const std::string& page, size_t limit) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
      "<id>" + Escape(feed_id) + "</id>\n<title>" + Escape(title) + "</title>\n<updated>" +
      (changes.empty() ? Timestamp().ToIso8601() : changes.back().event.at.ToIso8601()) +
      "</updated>\n<author><name>archivist</name></author>\n<generator>archivist</generator>\n"
      "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + Escape(self) + "\"/>\n"
      "<link rel=\"alternate\" type=\"text/html\" href=\"" + Escape(page) + "\"/>\n";
  size_t n = 0;
  for (auto it = changes.rbegin(); it != changes.rend() && n < limit; ++it, ++n) {
    out += Entry(*it, base_url);
  }
  return out + "</feed>\n";
}

}  // namespace

std::string EventTitle(const store::ChangeRecord& c) {
  const std::string in = "«" + c.title + "»";
  const std::string by = c.author.empty() ? "answer" : "answer by " + c.author;
  switch (c.event.kind) {
    case EventKind::kThreadAdded: return "question " + in + " archived";
    case EventKind::kTitleChanged: return "question retitled «" + c.event.details + "»";
    case EventKind::kAnswerAdded: return by + " added in " + in;
    case EventKind::kAnswerEdited: return by + " edited in " + in;
    case EventKind::kAnswerDeleted: return by + " deleted in " + in;
    case EventKind::kAnswerRestored: return by + " restored in " + in;
    case EventKind::kThreadGone: return "question " + in + " gone";
    case EventKind::kThreadReturned: return "question " + in + " returned";
  }
  return std::string(model::EventKindName(c.event.kind)) + " in " + in;
}

std::string EventLink(const store::ChangeRecord& c, const std::string& base_url) {
  const store::EventRecord& e = c.event;
  if (e.answer && e.kind == EventKind::kAnswerEdited && e.revision > 1) {
    return base_url + "/answer/" + std::to_string(*e.answer) + "/diff?question=" +
           std::to_string(e.thread.id) + "&from=" + std::to_string(e.revision - 1) +
           "&to=" + std::to_string(e.revision);
  }
  std::string link = base_url + QuestionAt(e.thread, e.at);
  if (e.answer) link += "#a" + std::to_string(*e.answer);
  return link;
}

Result<std::vector<store::ChangeRecord>> ThreadChanges(store::Store& store,
                                                       const store::ThreadKey& key) {
  Result<store::ThreadSummary> thread = store.GetThread(key);
  if (!thread.ok()) return thread.status();
  Result<std::vector<store::EventRecord>> events = store.Events({key, std::nullopt, std::nullopt});
  if (!events.ok()) return events.status();
  std::map<model::AnswerId, std::vector<store::RevisionRecord>> revisions;
  std::vector<store::ChangeRecord> out;
  for (store::EventRecord& e : *events) {
    store::ChangeRecord c{std::move(e), thread->title, ""};
    if (c.event.answer) {
      auto [it, fresh] = revisions.try_emplace(*c.event.answer);
      if (fresh) {
        Result<std::vector<store::RevisionRecord>> r =
            store.Revisions({key.source, *c.event.answer, key.id});
        if (r.ok()) it->second = std::move(*r);
      }
      for (const store::RevisionRecord& r : it->second) {
        if (c.event.revision == 0 || r.number == c.event.revision) c.author = r.author_name;
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::string> ArchiveFeed(store::Store& store, const std::string& base_url, size_t limit) {
  Result<std::vector<store::ChangeRecord>> changes = store.LatestChanges(limit);
  if (!changes.ok()) return changes.status();
  return Feed(*changes, "tag:archivist.invalid,2026:feed/all", "archivist: every change",
              base_url, base_url + "/feeds/all.atom", base_url + "/changes", limit);
}

Result<std::string> ThreadFeed(store::Store& store, const store::ThreadKey& key,
                               const std::string& base_url, size_t limit) {
  Result<std::vector<store::ChangeRecord>> changes = ThreadChanges(store, key);
  if (!changes.ok()) return changes.status();
  const std::string id = std::to_string(key.id);
  const std::string title = changes->empty() ? ToString(key) : changes->back().title;
  return Feed(*changes, "tag:archivist.invalid,2026:feed/" + key.source + "/" + id,
              "archivist: «" + title + "»", base_url, base_url + "/feeds/" + id + ".atom",
              base_url + "/question/" + id, limit);
}

namespace {

// DIR/feeds, made when missing, with its all.atom written: the start of both writers below.
// Returns the folder's path.
Result<std::string> WriteArchiveFeed(store::Store& store, const std::string& dir,
                                     const std::string& base_url, const AtomicWriteOptions& write) {
  const std::string feeds = dir + "/feeds";
  std::error_code ec;
  std::filesystem::create_directories(feeds, ec);
  if (ec) return Status::IoError("cannot create " + feeds + ": " + ec.message());
  Result<std::string> all = ArchiveFeed(store, base_url);
  if (!all.ok()) return all.status();
  if (Status st = WriteFileAtomically(feeds + "/all.atom", *all, write); !st.ok()) return st;
  return feeds;
}

// DIR/feeds/<qid>.atom.
Status WriteThreadFeed(store::Store& store, const std::string& feeds, const store::ThreadKey& key,
                       const std::string& base_url, const AtomicWriteOptions& write) {
  Result<std::string> feed = ThreadFeed(store, key, base_url);
  if (!feed.ok()) return feed.status();
  return WriteFileAtomically(feeds + "/" + std::to_string(key.id) + ".atom", *feed, write);
}

}  // namespace

Status WriteThreadFeeds(store::Store& store, const std::string& dir, const store::ThreadKey& key,
                        const std::string& base_url, const AtomicWriteOptions& write) {
  Result<std::string> feeds = WriteArchiveFeed(store, dir, base_url, write);
  if (!feeds.ok()) return feeds.status();
  return WriteThreadFeed(store, *feeds, key, base_url, write);
}

std::function<Status(store::Store&, const store::ThreadKey&, const AtomicWriteOptions&)>
FeedsBesideExports(const std::string& export_dir, const std::string& web_listen) {
  return [dir = export_dir, base = ConfiguredBaseUrl(web_listen)](
             store::Store& s, const store::ThreadKey& key, const AtomicWriteOptions& write) {
    return WriteThreadFeeds(s, dir, key, base, write);
  };
}

std::string ConfiguredBaseUrl(const std::string& web_listen) {
  return "http://" + (web_listen.empty() ? std::string(kDefaultListen) : web_listen);
}

Result<int> WriteFeeds(store::Store& store, const std::string& dir, const std::string& base_url,
                       const AtomicWriteOptions& write) {
  Result<std::string> feeds = WriteArchiveFeed(store, dir, base_url, write);
  if (!feeds.ok()) return feeds.status();
  int written = 1;
  Result<std::vector<store::ThreadSummary>> threads = store.ListThreads();
  if (!threads.ok()) return threads.status();
  for (const store::ThreadSummary& t : *threads) {
    if (!t.first_archived) continue;
    if (Status st = WriteThreadFeed(store, *feeds, t.key, base_url, write); !st.ok()) return st;
    ++written;
  }
  return written;
}

}  // namespace archivist::web
