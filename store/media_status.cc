// The names of MediaStatus, as the schema's CHECK and `archivist media --json` spell them.
#include "store/store.h"

namespace archivist::store {

namespace {
constexpr std::pair<MediaStatus, std::string_view> kNames[] = {
    {MediaStatus::kPending, "pending"},     {MediaStatus::kStored, "stored"},
    {MediaStatus::kNotFound, "not_found"},  {MediaStatus::kForbidden, "forbidden"},
    {MediaStatus::kTooLarge, "too_large"},  {MediaStatus::kFailed, "failed"},
};
}  // namespace

std::string_view MediaStatusName(MediaStatus s) {
  for (const auto& [status, name] : kNames) {
    if (status == s) return name;
  }
  return "failed";
}

std::optional<MediaStatus> ParseMediaStatus(std::string_view name) {
  for (const auto& [status, n] : kNames) {
    if (n == name) return status;
  }
  return std::nullopt;
}

}  // namespace archivist::store
