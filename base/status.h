// Status and Result<T>: expected failures as values (docs/development.md).
//
// A Status is either OK or carries an error Code and a human-readable message that names
// the input and what is wrong. Modules translate their library's error codes (CURLcode,
// sqlite rc, HTTP status) into a Status at their edge; nothing in archivist throws.
//
// Thread-safety: values; copy freely.
#ifndef ARCHIVIST_BASE_STATUS_H_
#define ARCHIVIST_BASE_STATUS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace archivist {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // bad input from the user or a file: bad usage, malformed data
    kNotFound,         // a named thing does not exist
    kIoError,          // reading or writing a file failed
    kCorruption,       // stored data is damaged or not ours
    kUnavailable,      // a remote service failed (see fetch outcomes for detail)
    kInternal,         // a bug; should not happen
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid argument: <message>", or "OK".
  std::string ToString() const;

  // Prefix the message with context: "reading config.toml: <message>".
  Status WithContext(std::string_view context) const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Result<T>: a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}             // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}      // NOLINT: must not be OK

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace archivist

// Return early from a function returning Status or Result<T>.
#define ARCHIVIST_RETURN_IF_ERROR(expr)      \
  do {                                       \
    ::archivist::Status _st = (expr);        \
    if (!_st.ok()) return _st;               \
  } while (0)

#endif  // ARCHIVIST_BASE_STATUS_H_
