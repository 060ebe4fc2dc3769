// The changes page: every event of the archive since a time (Store::Changes), newest first,
// each with the link its feed entry has.
#include <string>

#include "web/feeds.h"
#include "web/pages.h"

namespace archivist::web {

Reply ChangesPage(store::Store& store, Timestamp since, std::string_view since_text,
                  size_t limit) {
  Result<std::vector<store::ChangeRecord>> changes = store.Changes(since);
  if (!changes.ok()) return StatusPage(changes.status());
  Reply reply;
  std::string& out = reply.body;
  out = PageStart("changes") + "<h1 lang=\"en\">Changes</h1>\n<form method=\"get\" action=\"/changes\">"
        "<label>since <input name=\"since\" value=\"" + Escape(since_text) +
        "\" placeholder=\"7d or 2026-01-17T08:00:00Z\"></label> <button>show</button></form>\n";
  out += "<p class=\"meta\">" + std::to_string(changes->size()) + " events";
  if (changes->size() > limit) out += ", the latest " + std::to_string(limit) + " shown";
  out += " · <a href=\"/feeds/all.atom\">Atom feed</a></p>\n<table>\n<thead><tr><th>when</th>"
         "<th>what</th></tr></thead>\n<tbody>\n";
  size_t n = 0;
  for (auto it = changes->rbegin(); it != changes->rend() && n < limit; ++it, ++n) {
    const std::string title = EventTitle(*it);
    out += "<tr><td>" + PageTime(it->event.at) + "</td><td><a lang=\"" +
           std::string(LangOf(title)) + "\" href=\"" + Escape(EventLink(*it, "")) + "\">" +
           Escape(title) + "</a></td></tr>\n";
  }
  out += "</tbody>\n</table>\n" + PageEnd();
  return reply;
}

}  // namespace archivist::web
