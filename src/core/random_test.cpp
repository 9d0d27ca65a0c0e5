#include "core/random.h"

#include <gtest/gtest.h>

#include <vector>

namespace malchin {
namespace {

TEST(Random, SplitMix64MatchesTheReferenceSequence) {
  // The published sequence for seed 1234567 (Vigna's splitmix64.c).
  SplitMix64 g(1234567);
  for (uint64_t want :
       {6457827717110365317u, 3203168211198807973u, 9817491932198370423u,
        4593380528125082431u, 16408922859458223821u}) {
    EXPECT_EQ(g.Next(), want);
  }
}

TEST(Random, Xoshiro256StarStarSeededBySplitMix) {
  // State = four SplitMix64(42) outputs; values from an independent
  // big-integer implementation of xoshiro256**.
  Xoshiro256 g(42);
  for (uint64_t want :
       {1546998764402558742u, 6990951692964543102u, 12544586762248559009u,
        17057574109182124193u, 18295552978065317476u}) {
    EXPECT_EQ(g.Next(), want);
  }
}

TEST(Random, UniformBelowStaysInRangeAndIsFlat) {
  Xoshiro256 g(7);
  EXPECT_EQ(g.UniformBelow(1), 0u);
  std::vector<int> count(6);
  for (int i = 0; i < 60000; ++i) ++count[g.UniformBelow(6)];
  for (int c : count) EXPECT_NEAR(c, 10000, 500);  // sd ~91
  EXPECT_LT(g.UniformBelow(UINT64_MAX), UINT64_MAX);
}

TEST(Random, Fnv1a64KnownValues) {
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325u);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cu);
  EXPECT_EQ(Fnv1a64("b", Fnv1a64("a")), Fnv1a64("ab"));
}

}  // namespace
}  // namespace malchin
