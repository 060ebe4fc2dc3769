// The scan: one pass over bytes with a small lexer that knows only what decides where
// non-ASCII text may stand — comments (# to the end of the line) and the four kinds of
// strings ("…", '…', """…""", '''…''') with their escapes — and a UTF-8 decoder that refuses
// overlong forms, surrogates and code points above U+10FFFF. It does not validate TOML
// otherwise: toml++ does, with its own messages.
#include "config/toml_text.h"

namespace archivist::config {
namespace {

enum class Mode { kCode, kComment, kBasic, kLiteral, kMultiBasic, kMultiLiteral };

// The length of the valid UTF-8 sequence at text[i] (a non-ASCII lead byte), or 0.
size_t Utf8Length(std::string_view text, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = b(0);
  size_t n = 0;
  char32_t cp = 0;
  if (lead >= 0xC2 && lead <= 0xDF) n = 2, cp = lead & 0x1F;
  else if (lead >= 0xE0 && lead <= 0xEF) n = 3, cp = lead & 0x0F;
  else if (lead >= 0xF0 && lead <= 0xF4) n = 4, cp = lead & 0x07;
  else return 0;
  if (i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return n;
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}
  std::optional<TomlTextError> Run();

 private:
  bool At(std::string_view s) const { return text_.substr(i_, s.size()) == s; }
  std::optional<TomlTextError> Fail(std::string message) const {
    return TomlTextError{line_, static_cast<int>(i_ - line_start_) + 1, std::move(message)};
  }
  void Advance(size_t n) {
    for (size_t k = 0; k < n && i_ < text_.size(); ++k, ++i_) {
      if (text_[i_] == '\n') ++line_, line_start_ = i_ + 1;
    }
  }
  // After a backslash in a multi-line basic string: true when it ends its line (only spaces
  // and tabs before the newline); then the white space after it is skipped.
  bool SkipLineEndingBackslash();
  void StepAscii(char c);
  // A backslash and the ASCII character it escapes (a non-ASCII one is left to the decoder).
  void SkipEscape() {
    Advance(1);
    if (i_ < text_.size() && static_cast<unsigned char>(text_[i_]) < 0x80) Advance(1);
  }

  std::string_view text_;
  size_t i_ = 0, line_start_ = 0;
  int line_ = 1;
  Mode mode_ = Mode::kCode;
  bool after_line_end_ = false;  // a line-ending backslash was just skipped
};

bool Scanner::SkipLineEndingBackslash() {
  size_t j = i_ + 1;
  while (j < text_.size() && (text_[j] == ' ' || text_[j] == '\t')) ++j;
  if (j < text_.size() && text_[j] == '\r') ++j;
  if (j >= text_.size() || text_[j] != '\n') return false;
  Advance(j + 1 - i_);
  while (i_ < text_.size() && (text_[i_] == ' ' || text_[i_] == '\t' || text_[i_] == '\n' ||
                               text_[i_] == '\r')) {
    Advance(1);
  }
  after_line_end_ = true;
  return true;
}

void Scanner::StepAscii(char c) {
  switch (mode_) {
    case Mode::kCode:
      if (c == '#') mode_ = Mode::kComment;
      else if (At("\"\"\"")) return Advance(3), void(mode_ = Mode::kMultiBasic);
      else if (At("'''")) return Advance(3), void(mode_ = Mode::kMultiLiteral);
      else if (c == '"') mode_ = Mode::kBasic;
      else if (c == '\'') mode_ = Mode::kLiteral;
      return Advance(1);
    case Mode::kComment:
      if (c == '\n') mode_ = Mode::kCode;
      return Advance(1);
    case Mode::kBasic:
      if (c == '\\') return SkipEscape();
      if (c == '"' || c == '\n') mode_ = Mode::kCode;
      return Advance(1);
    case Mode::kLiteral:
      if (c == '\'' || c == '\n') mode_ = Mode::kCode;
      return Advance(1);
    case Mode::kMultiBasic:
      if (c == '\\') return SkipLineEndingBackslash() ? void() : SkipEscape();
      if (At("\"\"\"")) {
        while (i_ < text_.size() && text_[i_] == '"') Advance(1);  // up to two quotes belong to it
        mode_ = Mode::kCode;
        return;
      }
      return Advance(1);
    case Mode::kMultiLiteral:
      if (At("'''")) {
        while (i_ < text_.size() && text_[i_] == '\'') Advance(1);
        mode_ = Mode::kCode;
        return;
      }
      return Advance(1);
  }
}

std::optional<TomlTextError> Scanner::Run() {
  if (text_.starts_with("\xEF\xBB\xBF")) i_ = line_start_ = 3;  // a byte order mark
  while (i_ < text_.size()) {
    const auto c = static_cast<unsigned char>(text_[i_]);
    if (c < 0x80) {
      after_line_end_ = false;
      StepAscii(static_cast<char>(c));
      continue;
    }
    if (after_line_end_) {
      return Fail("a non-ASCII character first after a line-ending backslash in a "
                  "multi-line string (not supported: write it on the backslash's line)");
    }
    const size_t n = Utf8Length(text_, i_);
    if (n == 0) return Fail("the file is not valid UTF-8 here");
    if (mode_ == Mode::kCode) {
      return Fail("a non-ASCII character outside a string or a comment (TOML allows them "
                  "only there)");
    }
    Advance(n);
  }
  return std::nullopt;
}

}  // namespace

std::optional<TomlTextError> CheckTomlText(std::string_view text) { return Scanner(text).Run(); }

}  // namespace archivist::config
