// diff/word_tokens: text cut into the tokens a word diff compares.
//
// Han runs are cut by a segmenter (the CLI passes jieba's; without one, one token per
// character); elsewhere a token is a run of letters and digits, a run of whitespace other
// than '\n', a single '\n', or a single other character (punctuation, symbols, any byte that
// is not valid UTF-8). The tokens are views into the text and concatenate to it exactly.
//
// Pure, reentrant; the segmenter must be too when callers share one.
#ifndef ARCHIVIST_DIFF_WORD_TOKENS_H_
#define ARCHIVIST_DIFF_WORD_TOKENS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace archivist::diff {

// Cuts a run of Han characters (valid UTF-8) into words. A result that does not concatenate
// to the run is ignored (the run is then cut per character).
using Segmenter = std::function<std::vector<std::string>(std::string_view han_run)>;

std::vector<std::string_view> WordTokens(std::string_view text, const Segmenter& segment = {});

// Unicode code points in `text`; each byte of an invalid sequence counts as one.
int64_t CodePoints(std::string_view text);

}  // namespace archivist::diff

#endif  // ARCHIVIST_DIFF_WORD_TOKENS_H_
