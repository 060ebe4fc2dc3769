#include "tests/mock_zhihu/web_sign.h"

#include <cstdint>
#include <mutex>
#include <random>

namespace mock_zhihu {
namespace {

constexpr uint32_t kSeeds[4] = {0x811c9dc5u, 0x9747b28cu, 0x2f1e3d4cu, 0x6b43a9b5u};

uint32_t Mix(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

uint32_t Lane(std::string_view bytes, uint32_t seed) {
  uint32_t h = seed;
  for (unsigned char c : bytes) h = (h ^ c) * 0x01000193u;
  return Mix(h ^ static_cast<uint32_t>(bytes.size()));
}

void AppendHex(uint32_t v, std::string* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int shift = 28; shift >= 0; shift -= 4) out->push_back(kDigits[(v >> shift) & 0xf]);
}

}  // namespace

std::string KeyedHash(std::string_view key, std::string_view message, int lanes) {
  std::string bytes;
  bytes.reserve(key.size() + 1 + message.size());
  bytes.append(key).append("\n").append(message);
  std::string out;
  for (int k = 0; k < lanes && k < 4; ++k) AppendHex(Lane(bytes, kSeeds[k]), &out);
  return out;
}

std::string Signature(std::string_view key, std::string_view target, std::string_view d_c0) {
  std::string message = kZse93;
  message.append("+").append(target).append("+").append(d_c0);
  return "2.0_" + KeyedHash(key, message);
}

std::map<std::string, std::string> ParseCookies(std::string_view header) {
  std::map<std::string, std::string> out;
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    while (!pair.empty() && pair.back() == ' ') pair.remove_suffix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && eq > 0) out.emplace(pair.substr(0, eq), pair.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return out;
}

std::string RandomHex(size_t n) {
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}()};
  std::string out;
  std::lock_guard<std::mutex> lock(mu);
  while (out.size() < n) AppendHex(static_cast<uint32_t>(rng()), &out);
  out.resize(n);
  return out;
}

}  // namespace mock_zhihu
