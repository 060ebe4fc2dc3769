// The pass: one scan over bytes with a small lexer that knows only what decides where
// non-ASCII text may stand and how to write it in ASCII — comments (# to the end of the
// line) and the four kinds of strings ("…", '…', """…""", '''…''') with their escapes — and
// a UTF-8 decoder that refuses overlong forms, surrogates and code points above U+10FFFF.
// For valid TOML this lexer and toml++'s agree (in TOML a quote or a '#' outside a string
// always opens a string or a comment); for invalid TOML they may not, which is harmless:
// the output is ASCII whatever the lexer thought, and toml++ reports the error.
#include "config/toml_text.h"

#include <cstdio>

namespace archivist::config {
namespace {

// The code point of the valid UTF-8 sequence at text[i] (a non-ASCII lead byte) and its
// length; length 0 when the sequence is not valid.
std::pair<char32_t, size_t> DecodeUtf8(std::string_view text, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = b(0);
  size_t n = 0;
  char32_t cp = 0;
  if (lead >= 0xC2 && lead <= 0xDF) n = 2, cp = lead & 0x1F;
  else if (lead >= 0xE0 && lead <= 0xEF) n = 3, cp = lead & 0x0F;
  else if (lead >= 0xF0 && lead <= 0xF4) n = 4, cp = lead & 0x07;
  else return {0, 0};
  if (i + n > text.size()) return {0, 0};
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return {0, 0};
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return {0, 0};
  return {cp, n};
}

std::string Escape(char32_t cp) {
  char buf[16];
  if (cp <= 0xFFFF) {
    std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
  } else {
    std::snprintf(buf, sizeof buf, "\\U%08X", static_cast<unsigned>(cp));
  }
  return buf;
}

class Converter {
 public:
  explicit Converter(std::string_view text) : text_(text) {}
  AsciiTomlResult Run();

 private:
  bool At(std::string_view s) const { return text_.substr(i_, s.size()) == s; }
  char Peek(size_t k = 0) const { return i_ + k < text_.size() ? text_[i_ + k] : '\0'; }
  void Fail(std::string message) {
    if (!error_) error_ = TomlTextError{line_, static_cast<int>(i_ - line_start_) + 1, std::move(message)};
  }
  // Copies n bytes to the output (they are ASCII), keeping count of lines.
  void Copy(size_t n) {
    for (size_t k = 0; k < n && i_ < text_.size(); ++k, ++i_) {
      out_ += text_[i_];
      if (text_[i_] == '\n') ++line_, line_start_ = i_ + 1;
    }
  }
  bool NonAscii() const { return static_cast<unsigned char>(Peek()) >= 0x80; }
  // The non-ASCII character at i_, escaped (in strings) or as '?' (in comments).
  void NonAsciiChar(bool in_string);
  // Whether the literal string that starts at i_ (after its opening `quote`) holds a
  // non-ASCII byte before it closes.
  bool LiteralHasNonAscii(std::string_view quote) const;
  void Code();
  void Basic(bool multi);
  void Literal(bool multi);

  std::string_view text_;
  std::string out_;
  size_t i_ = 0, line_start_ = 0;
  int line_ = 1;
  std::optional<TomlTextError> error_;
};

void Converter::NonAsciiChar(bool in_string) {
  const auto [cp, n] = DecodeUtf8(text_, i_);
  if (n == 0) return Fail("the file is not valid UTF-8 here");
  out_ += in_string ? Escape(cp) : std::string("?");
  i_ += n;
}

bool Converter::LiteralHasNonAscii(std::string_view quote) const {
  for (size_t j = i_; j < text_.size(); ++j) {
    if (text_.substr(j, quote.size()) == quote) return false;
    if (quote.size() == 1 && text_[j] == '\n') return false;
    if (static_cast<unsigned char>(text_[j]) >= 0x80) return true;
  }
  return false;
}

void Converter::Basic(bool multi) {
  Copy(multi ? 3 : 1);
  while (i_ < text_.size() && !error_) {
    if (NonAscii()) {
      NonAsciiChar(true);
    } else if (Peek() == '\\') {
      Copy(1);
      if (!NonAscii()) Copy(1);  // an escaped non-ASCII byte is escaped (and refused by toml++)
    } else if (multi && At("\"\"\"")) {
      while (Peek() == '"') Copy(1);  // the closing quotes, and up to two of the content's
      return;
    } else if (!multi && (Peek() == '"' || Peek() == '\n')) {
      return Copy(1);
    } else {
      Copy(1);
    }
  }
}

// A literal string without non-ASCII text is copied; one with it becomes a basic string:
// its backslashes and quotes escaped, its other characters as they are.
void Converter::Literal(bool multi) {
  const std::string_view quote = multi ? "'''" : "'";
  i_ += quote.size();  // the opening quotes (no newline among them)
  if (!LiteralHasNonAscii(quote)) {
    out_ += quote;
    while (i_ < text_.size() && !At(quote) && (multi || Peek() != '\n')) Copy(1);
    if (multi) {
      while (Peek() == '\'') Copy(1);
    } else if (Peek() == '\'') {
      Copy(1);
    }
    return;
  }
  out_ += multi ? "\"\"\"" : "\"";
  while (i_ < text_.size() && !error_) {
    if (NonAscii()) {
      NonAsciiChar(true);
    } else if (At(quote) || (!multi && Peek() == '\n')) {
      break;
    } else if (Peek() == '\\' || Peek() == '"') {
      out_ += '\\';
      Copy(1);
    } else {
      Copy(1);
    }
  }
  if (multi && At(quote)) {
    size_t run = 0;
    while (Peek(run) == '\'') ++run;
    out_.append(run > 3 ? run - 3 : 0, '\'');  // up to two quotes of the content
    out_ += "\"\"\"";
    i_ += run;
  } else if (!multi && Peek() == '\'') {
    out_ += '"';
    ++i_;
  }
}

void Converter::Code() {
  while (i_ < text_.size() && !error_) {
    if (NonAscii()) {
      if (DecodeUtf8(text_, i_).second == 0) return Fail("the file is not valid UTF-8 here");
      return Fail("a non-ASCII character outside a string or a comment (TOML allows them "
                  "only there)");
    }
    if (Peek() == '#') {
      while (i_ < text_.size() && Peek() != '\n' && !error_) {
        NonAscii() ? NonAsciiChar(false) : Copy(1);
      }
    } else if (At("\"\"\"")) {
      Basic(true);
    } else if (Peek() == '"') {
      Basic(false);
    } else if (At("'''")) {
      Literal(true);
    } else if (Peek() == '\'') {
      Literal(false);
    } else {
      Copy(1);
    }
  }
}

AsciiTomlResult Converter::Run() {
  if (text_.starts_with("\xEF\xBB\xBF")) i_ = line_start_ = 3;  // a byte order mark
  out_.reserve(text_.size());
  Code();
  AsciiTomlResult r;
  if (error_) {
    r.error = std::move(error_);
  } else {
    r.text = std::move(out_);
  }
  return r;
}

}  // namespace

AsciiTomlResult AsciiToml(std::string_view text) { return Converter(text).Run(); }

}  // namespace archivist::config
