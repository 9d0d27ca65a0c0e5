#include "core/normal.h"

#include <gtest/gtest.h>

#include <cmath>

namespace malchin {
namespace {

// Reference values: R qnorm and Python statistics.NormalDist.inv_cdf (both AS
// 241).
TEST(NormalQuantile, MatchesReferenceValues) {
  EXPECT_EQ(NormalQuantile(0.5), 0.0);
  EXPECT_NEAR(NormalQuantile(0.975), 1.959963984540054, 1e-14);
  EXPECT_NEAR(NormalQuantile(0.95), 1.6448536269514722, 1e-14);
  EXPECT_NEAR(NormalQuantile(0.995), 2.5758293035489004, 1e-14);
  EXPECT_NEAR(NormalQuantile(0.025), -1.959963984540054, 1e-14);
  EXPECT_NEAR(NormalQuantile(0.8413447460685429), 1.0, 1e-12);
  EXPECT_NEAR(NormalQuantile(1e-10), -6.3613409024040557, 1e-12);
  EXPECT_NEAR(NormalQuantile(1e-300), -37.0470962993612, 1e-9);
}

TEST(NormalQuantile, OutsideTheOpenIntervalIsNaN) {
  EXPECT_TRUE(std::isnan(NormalQuantile(0)));
  EXPECT_TRUE(std::isnan(NormalQuantile(1)));
  EXPECT_TRUE(std::isnan(NormalQuantile(-0.1)));
  EXPECT_TRUE(std::isnan(TwoSidedZ(1)));
  EXPECT_TRUE(std::isnan(TwoSidedZ(0)));
}

TEST(TwoSidedZ, CommonLevels) {
  EXPECT_NEAR(TwoSidedZ(0.90), 1.6448536269514722, 1e-14);
  EXPECT_NEAR(TwoSidedZ(0.95), 1.959963984540054, 1e-14);
  EXPECT_NEAR(TwoSidedZ(0.99), 2.5758293035489004, 1e-14);
}

}  // namespace
}  // namespace malchin
