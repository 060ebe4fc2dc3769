// A recursive-descent reader for Python literals (see python_literal.h for the subset).
// Recursion depth is bounded by kMaxPyLiteralDepth; strings and numbers are scanned by loops.
#include "tags/python_literal.h"

#include <charconv>
#include <string>

namespace archivist::tags {

namespace {

class Parser {
 public:
  Parser(std::u32string_view src, std::string_view what) : src_(src), what_(what) {}

  Status Error(size_t pos, const std::string& msg) const {
    size_t line = 1;
    for (size_t i = 0; i < pos && i < src_.size(); ++i) line += src_[i] == U'\n';
    return Status::InvalidArgument(std::string(what_) + ":" + std::to_string(line) + ": " + msg);
  }

  void SkipSpace() {
    while (pos_ < src_.size()) {
      const char32_t c = src_[pos_];
      if (c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\f') {
        ++pos_;
      } else if (c == U'\\' && pos_ + 1 < src_.size() && src_[pos_ + 1] == U'\n') {
        pos_ += 2;  // explicit line joining
      } else if (c == U'#') {
        while (pos_ < src_.size() && src_[pos_] != U'\n') ++pos_;
      } else {
        return;
      }
    }
  }

  Result<PyValue> Value(int depth) {
    if (depth > kMaxPyLiteralDepth) return Error(pos_, "literal nested too deeply");
    SkipSpace();
    if (pos_ >= src_.size()) return Error(pos_, "unexpected end of file, expected a literal");
    const char32_t c = src_[pos_];
    if (c == U'{') return Container(U'}', /*dict=*/true, depth);
    if (c == U'(') return Container(U')', /*dict=*/false, depth);
    if (c == U'[') return Container(U']', /*dict=*/false, depth);
    if (c == U'\'' || c == U'"' || c == U'u' || c == U'U') return String();
    if (c == U'-' || c == U'+' || c == U'.' || (c >= U'0' && c <= U'9')) return Number();
    return Error(pos_, "unsupported Python syntax, expected a literal");
  }

  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = p; }

 private:
  // dict: {k: v, ...}; sequence: (a, b, ...) or [a, ...]. A trailing comma is allowed.
  // A parenthesised single value without a comma is that value, as in Python.
  Result<PyValue> Container(char32_t close, bool dict, int depth) {
    PyValue out;
    out.kind = dict ? PyValue::Kind::kDict : PyValue::Kind::kSequence;
    const bool paren = close == U')';
    bool saw_comma = false;
    ++pos_;
    for (;;) {
      SkipSpace();
      if (pos_ < src_.size() && src_[pos_] == close) break;
      Result<PyValue> key = Value(depth + 1);
      if (!key.ok()) return key.status();
      if (dict) {
        SkipSpace();
        if (pos_ >= src_.size() || src_[pos_] != U':') return Error(pos_, "expected ':' in dict");
        ++pos_;
        Result<PyValue> val = Value(depth + 1);
        if (!val.ok()) return val.status();
        out.items.emplace_back(std::move(key).value(), std::move(val).value());
      } else {
        out.elements.push_back(std::move(key).value());
      }
      SkipSpace();
      if (pos_ < src_.size() && src_[pos_] == U',') {
        saw_comma = true;
        ++pos_;
        continue;
      }
      if (pos_ < src_.size() && src_[pos_] == close) break;
      return Error(pos_, "expected ',' or closing bracket");
    }
    ++pos_;
    if (paren && !saw_comma && out.elements.size() == 1) {
      PyValue inner = std::move(out.elements[0]);
      return inner;
    }
    return out;
  }

  Result<PyValue> String() {
    const size_t start = pos_;
    if (src_[pos_] == U'u' || src_[pos_] == U'U') ++pos_;
    if (pos_ >= src_.size() || (src_[pos_] != U'\'' && src_[pos_] != U'"')) {
      return Error(start, "unsupported Python syntax (a name or a string prefix other than u)");
    }
    const char32_t quote = src_[pos_++];
    if (pos_ + 1 < src_.size() && src_[pos_] == quote && src_[pos_ + 1] == quote) {
      return Error(start, "triple-quoted strings are not supported");
    }
    PyValue out;
    out.kind = PyValue::Kind::kString;
    while (pos_ < src_.size() && src_[pos_] != quote) {
      const char32_t c = src_[pos_];
      if (c == U'\n') return Error(start, "unterminated string literal");
      if (c != U'\\') {
        out.str.push_back(c);
        ++pos_;
        continue;
      }
      Status st = Escape(&out.str);
      if (!st.ok()) return st;
    }
    if (pos_ >= src_.size()) return Error(start, "unterminated string literal");
    ++pos_;
    return out;
  }

  // At a backslash inside a string: appends what the escape means and moves past it.
  Status Escape(std::u32string* out) {
    const size_t at = pos_++;
    if (pos_ >= src_.size()) return Error(at, "unterminated string literal");
    const char32_t e = src_[pos_++];
    switch (e) {
      case U'\n': return Status::Ok();  // line continuation inside the string
      case U'\\': out->push_back(U'\\'); return Status::Ok();
      case U'\'': out->push_back(U'\''); return Status::Ok();
      case U'"': out->push_back(U'"'); return Status::Ok();
      case U'a': out->push_back(0x07); return Status::Ok();
      case U'b': out->push_back(0x08); return Status::Ok();
      case U'f': out->push_back(0x0C); return Status::Ok();
      case U'n': out->push_back(0x0A); return Status::Ok();
      case U'r': out->push_back(0x0D); return Status::Ok();
      case U't': out->push_back(0x09); return Status::Ok();
      case U'v': out->push_back(0x0B); return Status::Ok();
      case U'x': return Hex(2, at, out);
      case U'u': return Hex(4, at, out);
      case U'U': return Hex(8, at, out);
      case U'N': return Error(at, "\\N{...} escapes are not supported");
      default: break;
    }
    if (e >= U'0' && e <= U'7') {
      char32_t v = e - U'0';
      for (int k = 0; k < 2 && pos_ < src_.size() && src_[pos_] >= U'0' && src_[pos_] <= U'7'; ++k) {
        v = v * 8 + (src_[pos_++] - U'0');
      }
      out->push_back(v);
      return Status::Ok();
    }
    out->push_back(U'\\');  // Python keeps unknown escapes verbatim
    out->push_back(e);
    return Status::Ok();
  }

  Status Hex(int digits, size_t at, std::u32string* out) {
    char32_t v = 0;
    for (int k = 0; k < digits; ++k) {
      if (pos_ >= src_.size()) return Error(at, "truncated \\x/\\u/\\U escape");
      const char32_t h = src_[pos_++];
      int d;
      if (h >= U'0' && h <= U'9') d = h - U'0';
      else if (h >= U'a' && h <= U'f') d = h - U'a' + 10;
      else if (h >= U'A' && h <= U'F') d = h - U'A' + 10;
      else return Error(at, "bad hex digit in escape");
      v = v * 16 + d;
    }
    if (v > 0x10FFFF) return Error(at, "escape beyond U+10FFFF");
    out->push_back(v);
    return Status::Ok();
  }

  Result<PyValue> Number() {
    const size_t start = pos_;
    bool negative = false;
    while (pos_ < src_.size() && (src_[pos_] == U'-' || src_[pos_] == U'+')) {
      if (src_[pos_] == U'-') negative = !negative;
      ++pos_;
      SkipSpace();
    }
    std::string digits;
    while (pos_ < src_.size()) {
      const char32_t c = src_[pos_];
      const bool exp_sign = (c == U'+' || c == U'-') && !digits.empty() &&
                            (digits.back() == 'e' || digits.back() == 'E');
      if (!((c >= U'0' && c <= U'9') || c == U'.' || c == U'e' || c == U'E' || exp_sign)) break;
      digits.push_back(static_cast<char>(c));
      ++pos_;
    }
    PyValue out;
    out.kind = PyValue::Kind::kNumber;
    const char* b = digits.data();
    const char* e = b + digits.size();
    const auto [ptr, ec] = std::from_chars(b, e, out.number);
    if (digits.empty() || ec != std::errc() || ptr != e) {
      return Error(start, "malformed number '" + digits + "'");
    }
    if (negative) out.number = -out.number;
    return out;
  }

  std::u32string_view src_;
  std::string_view what_;
  size_t pos_ = 0;
};

bool IsIdentChar(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9') ||
         c == U'_';
}

std::u32string Widen(std::string_view ascii) { return std::u32string(ascii.begin(), ascii.end()); }

}  // namespace

Result<PyValue> ParsePyLiteral(std::u32string_view source, size_t start, std::string_view what,
                               size_t* end) {
  Parser p(source, what);
  p.set_pos(start);
  Result<PyValue> v = p.Value(0);
  if (v.ok() && end != nullptr) *end = p.pos();
  return v;
}

Result<PyValue> ParsePyAssignment(std::u32string_view source, std::string_view name,
                                  std::string_view call, std::string_view what) {
  const std::u32string wname = Widen(name);
  for (size_t at = source.find(wname); at != std::u32string_view::npos;
       at = source.find(wname, at + 1)) {
    // Only at the start of a line (after indentation), and not part of a longer name.
    size_t b = at;
    while (b > 0 && (source[b - 1] == U' ' || source[b - 1] == U'\t')) --b;
    if (b > 0 && source[b - 1] != U'\n') continue;
    size_t i = at + wname.size();
    if (i < source.size() && IsIdentChar(source[i])) continue;
    while (i < source.size() && (source[i] == U' ' || source[i] == U'\t')) ++i;
    if (i >= source.size() || source[i] != U'=' ||
        (i + 1 < source.size() && source[i + 1] == U'=')) {
      continue;
    }
    ++i;
    while (i < source.size() && (source[i] == U' ' || source[i] == U'\t')) ++i;
    if (call.empty()) return ParsePyLiteral(source, i, what);
    const std::u32string wcall = Widen(call) + U"(";
    if (source.substr(i, wcall.size()) != wcall) {
      return Parser(source, what).Error(i, std::string(name) + " is not " + std::string(call) +
                                                "(...)");
    }
    size_t end = 0;
    Result<PyValue> v = ParsePyLiteral(source, i + wcall.size(), what, &end);
    if (!v.ok()) return v;
    Parser p(source, what);
    p.set_pos(end);
    p.SkipSpace();
    if (p.pos() >= source.size() || source[p.pos()] != U')') {
      return p.Error(p.pos(), "expected ')' closing " + std::string(call) + "(...)");
    }
    return v;
  }
  return Status::NotFound(std::string(what) + ": no assignment to " + std::string(name));
}

}  // namespace archivist::tags
