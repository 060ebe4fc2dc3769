// The one SELECT both stores answer Changes and LatestChanges with (the table and column names
// are the same in both schemas, store/SCHEMA.md): every event with its thread's source, id and
// title, its answer's source id, its revision's number and the author then, in the column order
// the stores' ReadChanges read. Each store appends its WHERE / ORDER BY in its own placeholders.
#ifndef ARCHIVIST_STORE_CHANGE_QUERY_H_
#define ARCHIVIST_STORE_CHANGE_QUERY_H_

namespace archivist::store {

inline constexpr const char* kChangeColumns =
    "SELECT e.at, e.kind, t.source, t.source_id, t.title, a.source_id, r.number, "
    "coalesce(r.author_name, a.author_name, ''), e.details, e.id FROM events e "
    "JOIN threads t ON t.id = e.thread_id "
    "LEFT JOIN answers a ON a.id = e.answer_id LEFT JOIN revisions r ON r.id = e.revision_id ";

}  // namespace archivist::store

#endif  // ARCHIVIST_STORE_CHANGE_QUERY_H_
