// Element names that the conversion cares about, and turndown's element lists.
//
// An element is identified by its lower-case local name (any namespace) mapped to a Tag, plus
// whether it is an HTML element. turndown compares `nodeName` (upper case for HTML elements,
// the element's own case for SVG/MathML) against upper-case lists, so BLOCK, VOID and
// MEANINGFUL_WHEN_BLANK and every function filter only ever match HTML elements, while its
// string filters (`nodeName.toLowerCase()`) match foreign elements of that name too.
#ifndef ARCHIVIST_NORMALIZE_ELEMENTS_H_
#define ARCHIVIST_NORMALIZE_ELEMENTS_H_

#include <cstdint>
#include <string_view>

namespace archivist::normalize {

enum class Tag : uint8_t {
  kOther = 0,
  // BLOCK
  kAddress, kArticle, kAside, kAudio, kBlockquote, kBody, kCanvas, kCenter, kDd, kDir, kDiv, kDl,
  kDt, kFieldset, kFigcaption, kFigure, kFooter, kForm, kFrameset, kH1, kH2, kH3, kH4, kH5, kH6,
  kHeader, kHgroup, kHr, kHtml, kIsindex, kLi, kMain, kMenu, kNav, kNoframes, kNoscript, kOl,
  kOutput, kP, kPre, kSection, kTable, kTbody, kTd, kTfoot, kTh, kThead, kTr, kUl,
  // VOID (besides HR)
  kArea, kBase, kBr, kCol, kCommand, kEmbed, kImg, kInput, kKeygen, kLink, kMeta, kParam,
  kSource, kTrack, kWbr,
  // MEANINGFUL_WHEN_BLANK (besides those above)
  kA, kIframe, kScript, kVideo,
  // Rules and clean-up
  kCode, kEm, kI, kStrong, kB, kDel, kS, kStrike, kCaption, kSup, kStyle, kTemplate,
  kCount
};

// Tag of a lower-case local name; kOther if none of the above.
Tag TagFromName(std::string_view lower_name);

// The lower-case name of a tag ("" for kOther).
std::string_view TagName(Tag tag);

bool IsBlockTag(Tag t);
bool IsVoidTag(Tag t);
bool IsMeaningfulWhenBlankTag(Tag t);

}  // namespace archivist::normalize

#endif  // ARCHIVIST_NORMALIZE_ELEMENTS_H_
