// Characters gumbo 0.10.1 would decode differently from an HTML5 parser, carried through it.
//
// An HTML5 parser keeps C0 controls (but NUL, handled by the tokenizer, and CR, normalized
// to LF), DEL, C1 controls (U+0080–U+009F) and noncharacters (U+FDD0–U+FDEF, U+xFFFE,
// U+xFFFF) as ordinary characters: a parse error, nothing more. gumbo's input stream
// replaces every one of them with U+FFFD, so mojibake of double-encoded Windows-1252 (which
// real answers carry) would lose its characters. And gumbo computes a numeric character
// reference's value in a C int, so a value beyond INT_MAX (`&#xFFFFFFFF;`) wraps around and
// may produce nothing, or an ordinary character, instead of U+FFFD.
//
// EscapeForGumbo rewrites each such character as two private-use characters gumbo passes
// through untouched, the escape U+10FFFD and a partner in plane 15 naming the original (the
// escape itself is escaped too, so input that holds it is read back exactly). Like the
// originals, both are ordinary non-white-space characters to the tokenizer and the tree
// builder, in every context (text, attribute names and values, comments, raw text), so the
// tree gumbo builds is the one the originals would give an HTML5 parser. An overflowing
// reference becomes `&#x110000;` (U+FFFD wherever references are decoded) followed by an
// escape and the original digits: RestoreEscapes then drops the digits after a decoded
// U+FFFD, and puts back the original text where the reference was raw text.
//
// Thread-safety: pure functions.
#ifndef ARCHIVIST_NORMALIZE_GUMBO_ESCAPE_H_
#define ARCHIVIST_NORMALIZE_GUMBO_ESCAPE_H_

#include <string>
#include <string_view>

namespace archivist::normalize {

// If `html` (valid UTF-8) holds anything to escape, writes the escaped input to *out and
// returns true; otherwise returns false and leaves *out alone.
bool EscapeForGumbo(std::string_view html, std::string* out);

// Undoes EscapeForGumbo in one string taken from gumbo's tree.
void RestoreEscapes(std::string* s);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_GUMBO_ESCAPE_H_
