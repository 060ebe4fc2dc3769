#include "store/store_test_util.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>

namespace archivist::store::testing {

bool Exists(const std::string& path) { return std::filesystem::exists(path); }

std::string Query(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << db_path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return out;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  const char* tail = sql.c_str();
  while (*tail != '\0') {
    if (sqlite3_prepare_v2(db, tail, -1, &stmt, &tail) != SQLITE_OK) {
      ADD_FAILURE() << "bad SQL " << sql << ": " << sqlite3_errmsg(db);
      break;
    }
    if (stmt == nullptr) break;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        if (c > 0) out += '|';
        const auto* text = sqlite3_column_text(stmt, c);
        out += text == nullptr ? "∅" : reinterpret_cast<const char*>(text);
      }
      out += '\n';
    }
    if (rc != SQLITE_DONE) ADD_FAILURE() << "SQL " << sql << ": " << sqlite3_errmsg(db);
    sqlite3_finalize(stmt);
    stmt = nullptr;
  }
  sqlite3_close(db);
  return out;
}

std::string DumpArchive(const std::string& db_path) {
  std::string out;
  for (const char* table : {"threads", "fetches", "answers", "revisions", "events", "orders"}) {
    out += std::string("== ") + table + "\n" +
           Query(db_path, std::string("SELECT * FROM ") + table + " ORDER BY id");
  }
  return out;
}

model::NewRevision Revision(model::AnswerId answer, int number, const std::string& text,
                            int64_t updated_time) {
  model::NewRevision r;
  r.answer_id = answer;
  r.number = number;
  r.html = "<p>" + text + "</p>";
  r.content_hash = "hash-of-" + r.html;
  r.author_name = "author" + std::to_string(answer);
  r.created_time = 50;
  r.updated_time = updated_time;
  r.markdown = text;
  r.normalizer_version = 1;
  return r;
}

RefreshRecord Record(model::QuestionId thread, int64_t seconds, model::ChangeSet changes,
                     model::Outcome outcome) {
  RefreshRecord r;
  r.thread.id = thread;
  r.observed_at = Timestamp::FromSeconds(seconds);
  r.fetch.started_at = Timestamp::FromSeconds(seconds);
  r.fetch.outcome = outcome;
  r.fetch.http_status = 200;
  r.fetch.pages = 1;
  r.fetch.answer_count = static_cast<int>(changes.answers.size());
  r.fetch.duration_ms = 12;
  r.changes = std::move(changes);
  return r;
}

}  // namespace archivist::store::testing
