// A portable pseudo-random generator for reproducible draws (samples).
//
// The same seed gives the same numbers on every machine, compiler and
// standard library: the generators are fully specified integer arithmetic
// (SplitMix64 by Steele, Lea and Flood; xoshiro256** by Blackman and Vigna,
// both public domain algorithms), and UniformBelow draws an integer without
// std::uniform_int_distribution, whose output the C++ standard leaves to the
// implementation.
//
// Thread-safety: a generator is a value; do not share one between threads.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace malchin {

// SplitMix64: one 64-bit state advanced by the golden-ratio increment. Used
// to seed xoshiro256** and to derive independent streams from a seed.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next();

 private:
  uint64_t state_;
};

// xoshiro256**, seeded with four outputs of SplitMix64(seed) (never the
// all-zero state).
class Xoshiro256 {
 public:
  explicit Xoshiro256(uint64_t seed);
  uint64_t Next();
  // A uniform integer in [0, n) by rejection (no modulo bias).
  // REQUIRES: n > 0.
  uint64_t UniformBelow(uint64_t n);

 private:
  std::array<uint64_t, 4> s_;
};

// FNV-1a, 64 bits: a stable hash of bytes, used to derive a stream per
// stratum from its label and to fingerprint a sampling frame.
uint64_t Fnv1a64(std::string_view bytes, uint64_t hash = 0xcbf29ce484222325u);

}  // namespace malchin
