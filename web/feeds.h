// web/feeds: Atom 1.0 feeds (RFC 4287) of the archive's events — every thread's, and one
// thread's — served by the viewer at /feeds/all.atom and /feeds/<qid>.atom and written by
// `archivist export DIR` to DIR/feeds/.
//
// One entry per event, newest first, at most `limit` (the latest). An entry's id is a tag:
// URI built from what identifies the event in the archive (thread, time, kind, answer,
// revision), so it is the same in every feed and every fetch of it; `updated` is the event's
// time; its title reads "answer by X edited in «title»"; its link goes to the viewer page
// that shows the event (a diff for an edit, the thread at that time otherwise), under
// `base_url` ("http://host:port", no trailing slash). Text is escaped for XML.
//
// Thread-safety: the store is borrowed and used from the calling thread only.
#ifndef ARCHIVIST_WEB_FEEDS_H_
#define ARCHIVIST_WEB_FEEDS_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "base/atomic_file.h"
#include "base/status.h"
#include "store/store.h"

namespace archivist::web {

inline constexpr size_t kFeedEntries = 500;

Result<std::string> ArchiveFeed(store::Store& store, const std::string& base_url,
                                size_t limit = kFeedEntries);
// kNotFound for a thread that is not in the archive.
Result<std::string> ThreadFeed(store::Store& store, const store::ThreadKey& key,
                               const std::string& base_url, size_t limit = kFeedEntries);

// The events of one thread with its title and each answer event's author, oldest first.
Result<std::vector<store::ChangeRecord>> ThreadChanges(store::Store& store,
                                                       const store::ThreadKey& key);

// Writes DIR/feeds/all.atom and DIR/feeds/<qid>.atom for every thread archived, each
// atomically. Returns how many files were written; the first error stops it.
Result<int> WriteFeeds(store::Store& store, const std::string& dir, const std::string& base_url,
                       const AtomicWriteOptions& write = {});

// After a refresh exported `key`: DIR/feeds/all.atom and DIR/feeds/<qid>.atom, each
// atomically (what WriteFeeds writes, for the one thread that changed).
Status WriteThreadFeeds(store::Store& store, const std::string& dir, const store::ThreadKey& key,
                        const std::string& base_url, const AtomicWriteOptions& write = {});

// What a refresh writes beside each exported document (pipeline::PipelineOptions::export_more):
// WriteThreadFeeds into `export_dir`, linked to the viewer at ConfiguredBaseUrl(web_listen).
std::function<Status(store::Store&, const store::ThreadKey&, const AtomicWriteOptions&)>
FeedsBesideExports(const std::string& export_dir, const std::string& web_listen);

// The viewer's address for feed links written without a request to take it from:
// http://<web.listen>, or the default listen address when the viewer is off.
std::string ConfiguredBaseUrl(const std::string& web_listen);

// The link of an event's viewer page, under base_url.
std::string EventLink(const store::ChangeRecord& change, const std::string& base_url);

}  // namespace archivist::web

#endif  // ARCHIVIST_WEB_FEEDS_H_
