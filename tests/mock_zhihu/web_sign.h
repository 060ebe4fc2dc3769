// The request signature of the mock's web mode, and the cookie helpers it needs.
//
// Zhihu's question page computes an `x-zse-96` header for its /feeds requests with code private
// to the page's script, from the request's path and query and the `d_c0` cookie; requests
// without it are refused. The mock reproduces the constraint, not Zhihu's cipher:
//
//   x-zse-93: 101_3_3.0
//   x-zse-96: "2.0_" + KeyedHash(key, "101_3_3.0+" + path_with_query + "+" + d_c0)
//
// KeyedHash is four 32-bit FNV-1a lanes (different seeds) over the bytes of key + "\n" +
// message, each finished with murmur3's fmix32, printed as 32 lower-case hex digits. It is
// not cryptographic; it only makes a signature depend on a key that lives in the page's
// script. The same function is written in JavaScript in web_app_js.cc: keep the two equal.
//
// Thread-safety: pure functions, except RandomHex (thread-safe).
#ifndef ARCHIVIST_TESTS_MOCK_ZHIHU_WEB_SIGN_H_
#define ARCHIVIST_TESTS_MOCK_ZHIHU_WEB_SIGN_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace mock_zhihu {

inline constexpr char kZse93[] = "101_3_3.0";

// 8·lanes hex digits (lanes 1..4) of the keyed hash of `message`.
std::string KeyedHash(std::string_view key, std::string_view message, int lanes = 4);

// The x-zse-96 value for a request target (path and query as sent) and a d_c0 value.
std::string Signature(std::string_view key, std::string_view target, std::string_view d_c0);

// Cookie header "a=1; b=2" → {a: 1, b: 2} (raw values; the first of a repeated name wins).
std::map<std::string, std::string> ParseCookies(std::string_view header);

// n random lower-case hex digits.
std::string RandomHex(size_t n);

}  // namespace mock_zhihu

#endif  // ARCHIVIST_TESTS_MOCK_ZHIHU_WEB_SIGN_H_
