// The configuration parser's inner parts, shared by config.cc (the walk over the file, the
// checks) and config_setters.cc (one setter per kind of value: string, path, bool, integer,
// duration, size, …). Private to config/: only config.h is the module's interface.
//
// Thread-safety: a Parser is used by one thread for one file.
#ifndef ARCHIVIST_CONFIG_CONFIG_PARSER_H_
#define ARCHIVIST_CONFIG_CONFIG_PARSER_H_

#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace archivist::config::internal {

struct Pos {
  int line = 0;
  int column = 0;
};

inline Pos PosOf(const toml::source_region& r) {
  return {static_cast<int>(r.begin.line), static_cast<int>(r.begin.column)};
}

// "a table", "a string", … for messages.
std::string_view TypeName(const toml::node& n);

// A setter binds one key to one field; it reports its own errors through the Parser.
class Parser;
using Setter = std::function<void(Parser&, const std::string& name, const toml::node&)>;
struct Field {
  std::string_view key;
  Setter set;
};

class Parser {
 public:
  Parser(std::string_view file, const ParseOptions& options) : file_(file), options_(options) {}

  // An error about the keys being bound or checked (About), "" for the file as a whole.
  void Error(Pos pos, std::string message) {
    errors_.push_back({file_, pos.line, pos.column, std::move(message), keys_});
  }
  void About(std::vector<std::string> keys) { keys_ = std::move(keys); }
  void WrongType(const std::string& name, const toml::node& n, std::string_view want) {
    Error(PosOf(n.source()), name + " must be " + std::string(want) + ", not " +
                                 std::string(TypeName(n)));
  }
  void Seen(const std::string& name, const toml::node& n) { seen_[name] = PosOf(n.source()); }
  // Where `name` was set, or nullopt when it kept its default.
  std::optional<Pos> Where(const std::string& name) const {
    auto it = seen_.find(name);
    if (it == seen_.end()) return std::nullopt;
    return it->second;
  }
  void BindTable(const std::string& prefix, const toml::node& node,
                 std::initializer_list<Field> fields);
  void Run(const toml::table& root);
  void Validate();

  Config& config() { return config_; }
  const ParseOptions& options() const { return options_; }
  const std::string& file() const { return file_; }
  std::vector<ConfigError> TakeErrors() { return std::move(errors_); }

 private:
  void BindThreads(const toml::node& node);
  // True when the file set `name` to a value that was accepted.
  bool Given(const std::string& name) const { return Where(name) && !bad_.contains(name); }
  void FollowDefaults();
  void CrossChecks();
  void Check(bool ok, std::initializer_list<std::string_view> names, std::string message);
  void Report(const Problem& problem);

  std::string file_;
  const ParseOptions& options_;
  Config config_;
  std::vector<ConfigError> errors_;
  std::map<std::string, Pos> seen_;
  std::set<std::string> bad_;  // keys already reported: nothing is compared with them
  std::vector<std::string> keys_;  // what the next Error is about
};

// The setters of config_setters.cc: each checks the value's type (and range or syntax) and
// stores it in `*out`, or reports through the Parser.
Setter String(std::string* out);
Setter Path(std::string* out);
Setter OneOf(std::string* out, std::initializer_list<std::string_view> choices);
Setter Program(std::string* out);
Setter Strings(std::vector<std::string>* out);
Setter FileMode(unsigned* out);
Setter Bool(bool* out);
Setter Int(int* out);
Setter DurationField(Duration* out);
Setter SizeField(int64_t* out);

}  // namespace archivist::config::internal

#endif  // ARCHIVIST_CONFIG_CONFIG_PARSER_H_
