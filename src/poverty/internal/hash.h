// Small deterministic hashes shared by the engine's modules: SplitMix64
// mixing, FNV-1a of strings, and content fingerprints of columns (for the
// reproducibility manifest, not for security).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace malchin::poverty::internal {

inline uint64_t Mix(uint64_t x) {  // SplitMix64 finaliser
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

inline uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ULL;
  return h;
}

inline uint64_t HashString(std::string_view s) { return Mix(Fnv1a(s)); }

// Folds the bytes of a column into *h.
template <typename Vec>
void HashColumn(const Vec& v, uint64_t* h) {
  using T = typename Vec::value_type;
  const auto* bytes = reinterpret_cast<const unsigned char*>(v.data());
  const size_t n = v.size() * sizeof(T);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, bytes + i, 8);
    *h = Mix(*h ^ w);
  }
  uint64_t tail = 0;
  if (n > i) std::memcpy(&tail, bytes + i, n - i);
  *h = Mix(*h ^ tail ^ (uint64_t{n} << 56));
}

inline std::string Hex64(uint64_t x) {
  static const char* kHex = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, x >>= 4) s[i] = kHex[x & 15];
  return s;
}

}  // namespace malchin::poverty::internal
