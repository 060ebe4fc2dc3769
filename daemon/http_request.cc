#include "daemon/http_request.h"

namespace archivist::daemon {
namespace {

// White space as the "C" locale's isspace sees it.
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// The next word of `*rest` (leading white space skipped); advances `*rest` past it.
std::string_view NextWord(std::string_view* rest) {
  size_t start = 0;
  while (start < rest->size() && IsSpace((*rest)[start])) ++start;
  size_t end = start;
  while (end < rest->size() && !IsSpace((*rest)[end])) ++end;
  const std::string_view word = rest->substr(start, end - start);
  rest->remove_prefix(end);
  return word;
}

}  // namespace

RequestLine ParseRequestHead(std::string_view head) {
  RequestLine line;
  line.method = std::string(NextWord(&head));
  const std::string_view target = NextWord(&head);
  line.path = std::string(target.substr(0, target.find('?')));
  return line;
}

}  // namespace archivist::daemon
