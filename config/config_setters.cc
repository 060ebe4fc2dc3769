// The setters of the configuration parser (config_parser.h): one per kind of value. Each
// checks the TOML value's type and, for durations, sizes, modes and programs, its syntax, and
// reports a problem with the key's name and position instead of storing a bad value.
#include <algorithm>
#include <cstdlib>

#include "base/bounded_text.h"
#include "base/file_access.h"
#include "config/config_parser.h"
#include "base/archive_location.h"

namespace archivist::config::internal {

std::string_view TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date/time";
  }
}

Setter String(std::string* out) {
  return [out](Parser& p, const std::string& name, const toml::node& n) {
    if (auto v = n.value_exact<std::string>()) {
      *out = *v;
    } else {
      p.WrongType(name, n, "a string");
    }
  };
}

// A path; relative paths are taken relative to the config file's folder. A leading
// ${CREDENTIALS_DIRECTORY} is the folder systemd gives a unit's LoadCredential= files
// (docs/operations.md "Cookies"); while it is not set (a shell), the path stays as written.
Setter Path(std::string* out) {
  return [out](Parser& p, const std::string& name, const toml::node& n) {
    auto v = n.value_exact<std::string>();
    if (!v) return p.WrongType(name, n, "a string (a path)");
    *out = *v;
    if (out->starts_with(kCredentialsDirectory)) {
      const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
      if (dir != nullptr && *dir != '\0') {
        *out = std::string(dir) + out->substr(kCredentialsDirectory.size());
      }
      return;
    }
    const std::string& file = p.file();
    if (IsDatabaseUri(*out)) return;  // a PostgreSQL archive (store/open.h), not a file
    if (!out->empty() && (*out)[0] != '/' && file.find('/') != std::string::npos) {
      *out = file.substr(0, file.rfind('/') + 1) + *out;
    }
  };
}

// One of `choices`.
Setter OneOf(std::string* out, std::initializer_list<std::string_view> choices) {
  std::vector<std::string> list(choices.begin(), choices.end());
  return [out, list](Parser& p, const std::string& name, const toml::node& n) {
    auto v = n.value_exact<std::string>();
    std::string known;
    for (const std::string& c : list) known += (known.empty() ? "\"" : ", \"") + c + "\"";
    if (!v) return p.WrongType(name, n, "one of " + known);
    if (std::find(list.begin(), list.end(), *v) == list.end()) {
      return p.Error(PosOf(n.source()), name + " = \"" + *v + "\" is not one of " + known);
    }
    *out = *v;
  };
}

// A program: a name looked up on PATH (no '/'), or a path (relative to the file's folder).
Setter Program(std::string* out) {
  return [out](Parser& p, const std::string& name, const toml::node& n) {
    auto v = n.value_exact<std::string>();
    if (!v) return p.WrongType(name, n, "a string (a program name or path)");
    if (v->find('/') != std::string::npos) return Path(out)(p, name, n);
    *out = *v;
  };
}

// An array of non-empty strings.
Setter Strings(std::vector<std::string>* out) {
  return [out](Parser& p, const std::string& name, const toml::node& n) {
    const toml::array* array = n.as_array();
    if (!array) return p.WrongType(name, n, "an array of strings");
    std::vector<std::string> values;
    for (const toml::node& item : *array) {
      auto v = item.value_exact<std::string>();
      if (!v || v->empty()) return p.WrongType(name + " item", item, "a non-empty string");
      values.push_back(*v);
    }
    *out = std::move(values);
  };
}

// A file mode as chmod takes it, in octal ("0644", "640"); it must let the owner read and
// write (archivist rewrites its files).
Setter FileMode(unsigned* out) {
  return [out](Parser& p, const std::string& name, const toml::node& n) {
    auto v = n.value_exact<std::string>();
    if (!v) return p.WrongType(name, n, "an octal file mode such as \"0644\"");
    unsigned mode = 0;
    bool octal = !v->empty() && v->size() <= 4;
    for (char ch : *v) {
      octal = octal && ch >= '0' && ch <= '7';
      mode = mode * 8 + static_cast<unsigned>(ch - '0');
    }
    if (!octal || mode > 0777) {
      return p.Error(PosOf(n.source()), name + " = \"" + BoundText(*v, 16) +
                                            "\" is not a file mode such as \"0644\" (octal, 0..0777)");
    }
    if ((mode & 0600) != 0600) {
      return p.Error(PosOf(n.source()), name + " = \"" + *v + "\" must let the owner read and write (0600 at least)");
    }
    *out = mode;
  };
}

Setter Bool(bool* out) {
  return [out](Parser& p, const std::string& name, const toml::node& n) {
    if (auto v = n.value_exact<bool>()) {
      *out = *v;
    } else {
      p.WrongType(name, n, "true or false");
    }
  };
}

// An integer within the key's Limit (validate.cc); out of it, the field keeps its default.
Setter Int(int* out) {
  return [=](Parser& p, const std::string& name, const toml::node& n) {
    auto v = n.value_exact<int64_t>();
    if (!v) return p.WrongType(name, n, "an integer");
    const Limit* limit = FindLimit(name);
    if (limit != nullptr && (*v < limit->min || *v > limit->max)) {
      return p.Error(PosOf(n.source()), OutOfRange(*limit, name, std::to_string(*v)));
    }
    *out = static_cast<int>(*v);
  };
}

Setter DurationField(Duration* out) {
  return [out](Parser& p, const std::string& name, const toml::node& n) {
    auto v = n.value_exact<std::string>();
    if (!v) return p.WrongType(name, n, "a duration string such as \"10m\"");
    Result<Duration> d = ParseDuration(*v);
    if (!d.ok()) return p.Error(PosOf(n.source()), name + ": " + d.status().message());
    *out = *d;
  };
}

Setter SizeField(int64_t* out) {
  return [out](Parser& p, const std::string& name, const toml::node& n) {
    if (auto i = n.value_exact<int64_t>()) {
      if (*i < 0) return p.Error(PosOf(n.source()), name + " must not be negative");
      *out = *i;
      return;
    }
    auto v = n.value_exact<std::string>();
    if (!v) return p.WrongType(name, n, "a size such as \"32MiB\"");
    Result<int64_t> s = ParseSize(*v);
    if (!s.ok()) return p.Error(PosOf(n.source()), name + ": " + s.status().message());
    *out = *s;
  };
}

}  // namespace archivist::config::internal
