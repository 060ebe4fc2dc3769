#include "cli/refresh_output.h"

#include <nlohmann/json.hpp>

#include "base/bounded_text.h"

namespace archivist::cli {
namespace {

nlohmann::json StatusOrNull(const Status& st) {
  return st.ok() ? nlohmann::json(nullptr) : nlohmann::json(st.ToString());
}

}  // namespace

bool RefreshFailed(const pipeline::RefreshSummary& s) {
  const bool fetched = s.outcome == model::Outcome::kComplete ||
                       s.outcome == model::Outcome::kNotModified;
  return !fetched || s.superseded || !s.error.ok() || !s.export_error.ok();
}

std::string RefreshJson(const pipeline::RefreshSummary& s) {
  const bool fetched = s.outcome == model::Outcome::kComplete ||
                       s.outcome == model::Outcome::kNotModified;
  nlohmann::json fetch_error = nullptr;
  if (!fetched) {
    fetch_error = {{"http_status", s.fetch_error.http_status},
                   {"code", BoundText(s.fetch_error.code, 64)},
                   {"message", BoundText(s.fetch_error.message)},
                   {"page", s.fetch_error.page}};
  }
  const nlohmann::json j = {
      {"question", std::to_string(s.thread.id)},
      {"source", s.thread.source},
      {"title", BoundText(s.title)},
      {"outcome", std::string(model::OutcomeName(s.outcome))},
      {"http_status", s.HttpStatus()},
      {"changed", s.changed},
      {"added", s.added},
      {"edited", s.edited},
      {"deleted", s.deleted},
      {"restored", s.restored},
      {"title_changed", s.title_changed},
      {"thread_added", s.thread_added},
      {"thread_gone", s.thread_gone},
      {"thread_returned", s.thread_returned},
      {"answers", s.answers_now},
      {"pages", s.pages},
      {"fetch_ms", s.fetch_duration.count()},
      {"committed", s.committed},
      {"superseded", s.superseded},
      {"error", StatusOrNull(s.error)},
      {"export_path", s.export_path.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.export_path)},
      {"export_error", StatusOrNull(s.export_error)},
      {"fetch_error", fetch_error},
      {"media", s.media.ran ? nlohmann::json{{"stored", s.media.stored},
                                              {"failed", s.media.failed},
                                              {"retry", s.media.retry},
                                              {"left", s.media.left},
                                              {"error", StatusOrNull(s.media.error)}}
                            : nlohmann::json(nullptr)}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace archivist::cli
