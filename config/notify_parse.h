// config/notify_parse: the [[notify]] tables of the configuration (config.h NotifyConfig),
// parsed and checked; internal to config/ (it sees toml++, like config.cc).
#ifndef ARCHIVIST_CONFIG_NOTIFY_PARSE_H_
#define ARCHIVIST_CONFIG_NOTIFY_PARSE_H_

#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

#include <functional>
#include <string>
#include <vector>

#include "config/config.h"

namespace archivist::config {

using ErrorAt = std::function<void(int line, int column, std::string message)>;

// Appends each well-formed [[notify]] table of `node` to *out; reports every problem (unknown
// key, wrong type, neither or both of exec and url, a URL that is not http(s) or carries
// control characters, a timeout out of range) through `error`.
void ParseNotify(const toml::node& node, std::vector<NotifyConfig>* out, const ErrorAt& error);

}  // namespace archivist::config

#endif  // ARCHIVIST_CONFIG_NOTIFY_PARSE_H_
