#include "tags/test_support.h"

#include <cstdio>
#include <cstdlib>

#include "tags/utf8.h"
#include "tests/support/files.h"

namespace archivist::tags::testing {

const Jieba& SharedJieba() {
  static const Jieba* jieba = [] {
    JiebaOptions options;
    options.use_cache = false;
    Result<std::unique_ptr<Jieba>> j = Jieba::Load(options);
    if (!j.ok()) {
      std::fprintf(stderr, "cannot load jieba data: %s\n", j.status().ToString().c_str());
      std::abort();
    }
    return std::move(j).value().release();
  }();
  return *jieba;
}

std::string SourcePath(const std::string& relative) {
  return std::string(ARCHIVIST_SOURCE_DIR) + "/" + relative;
}

std::string ReadAll(const std::string& path) { return test_support::ReadFile(path); }

std::string Escaped(const std::string& utf8) {
  Result<std::u32string> text = DecodeUtf8(utf8, "text");
  if (!text.ok()) return "<invalid UTF-8>";
  std::string out;
  for (const char32_t c : *text) {
    if (c >= 0x20 && c < 0x7F && c != U'\\') {
      out.push_back(static_cast<char>(c));
    } else if (c >= 0x4E00 && c <= 0x9FD5) {
      AppendUtf8(std::u32string_view(&c, 1), &out);
    } else {
      char buf[16];
      std::snprintf(buf, sizeof(buf), "\\u{%X}", static_cast<unsigned>(c));
      out += buf;
    }
  }
  return out;
}

}  // namespace archivist::tags::testing
