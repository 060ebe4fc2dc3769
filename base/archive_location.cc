// Archive locations (see archive_location.h).
#include "base/archive_location.h"

#include <algorithm>
#include <cctype>

namespace archivist {

namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char lower, char c) {
           return std::tolower(static_cast<unsigned char>(c)) == lower;
         });
}

// Replaces the value of every password=… parameter of the query part (from `from` on).
void RedactQueryPasswords(std::string& uri, size_t from) {
  size_t pos = from;
  while (pos < uri.size()) {
    const size_t start = pos;
    size_t end = uri.find('&', start);
    if (end == std::string::npos) end = uri.size();
    const std::string_view param(uri.data() + start, end - start);
    if (StartsWithNoCase(param, "password=")) {
      const size_t value = start + 9;
      uri.replace(value, end - value, "***");
      end = value + 3;
    }
    pos = end + 1;
  }
}

// "%41" → "A"; malformed escapes are kept as written.
std::string PercentDecoded(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void ReplaceAll(std::string& text, const std::string& secret) {
  if (secret.empty()) return;
  for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3)) {
    text.replace(pos, secret.size(), "***");
  }
}

}  // namespace

bool IsDatabaseUri(std::string_view location) {
  // As libpq: its URI designators are lower case (anything else is not a URI to it).
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string RedactLocation(std::string_view location) {
  std::string out(location);
  if (!IsDatabaseUri(location)) return out;
  const size_t authority = out.find("://") + 3;
  // The user part ends at the last '@' before the query: a password with an unencoded '/'
  // is still a password (libpq would refuse the URI, but the error must not show it).
  size_t query_start = out.find('?', authority);
  if (query_start == std::string::npos) query_start = out.size();
  size_t rest = authority;  // where the host part starts: after the user part, if any
  const size_t at = query_start == authority ? std::string::npos : out.rfind('@', query_start - 1);
  if (at != std::string::npos && at >= authority) {
    rest = at;
    const size_t colon = out.find(':', authority);
    if (colon != std::string::npos && colon < at) {
      out.replace(colon + 1, at - colon - 1, "***");
      rest = colon + 4;
    }
  }
  const size_t query = out.find('?', rest);
  if (query != std::string::npos) RedactQueryPasswords(out, query + 1);
  return out;
}

std::string RedactPasswordsIn(std::string_view text, std::string_view location) {
  std::string out(text);
  if (!IsDatabaseUri(location)) return out;
  // The passwords are what RedactLocation replaced: walk both strings, and where the redacted
  // one holds "***" the original holds a password up to the next common character.
  const std::string redacted = RedactLocation(location);
  size_t i = 0, j = 0;
  while (i < location.size() && j < redacted.size()) {
    if (redacted.compare(j, 3, "***") == 0 && location.compare(i, 3, "***") != 0) {
      const size_t next_j = j + 3;
      const char stop = next_j < redacted.size() ? redacted[next_j] : '\0';
      // A user-part password ends at the last '@' before the query (as RedactLocation has it).
      size_t end = stop == '@'    ? location.rfind('@', location.find('?', i))
                   : stop == '\0' ? location.size()
                                  : location.find(stop, i);
      if (end == std::string_view::npos || end < i) end = location.size();
      const std::string secret(location.substr(i, end - i));
      ReplaceAll(out, secret);
      ReplaceAll(out, PercentDecoded(secret));
      i = end;
      j = next_j;
      continue;
    }
    ++i;
    ++j;
  }
  return out;
}

}  // namespace archivist
