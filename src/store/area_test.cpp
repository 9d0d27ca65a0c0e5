#include "store/area.h"

#include <gtest/gtest.h>

namespace malchin::store {
namespace {

TEST(AreaFilterTest, MatchesAndContains) {
  AreaFilter nation, aimag = AreaFilter::FromCode(181),
                     soum = AreaFilter::FromCode(18140);
  EXPECT_TRUE(nation.national());
  EXPECT_TRUE(aimag.Matches(18140));
  EXPECT_FALSE(aimag.Matches(18240));
  EXPECT_TRUE(soum.Matches(18140));
  EXPECT_FALSE(soum.Matches(18110));
  EXPECT_TRUE(nation.Contains(soum));
  EXPECT_TRUE(aimag.Contains(soum));
  EXPECT_FALSE(soum.Contains(aimag));
  EXPECT_FALSE(aimag.Contains(nation));
  EXPECT_FALSE(AreaFilter::FromCode(182).Contains(soum));
}

TEST(AreaFilterTest, IntersectKeepsTheNarrowerOrNothing) {
  AreaFilter nation, aimag = AreaFilter::FromCode(181),
                     soum = AreaFilter::FromCode(18140);
  EXPECT_EQ(*nation.Intersect(aimag), aimag);
  EXPECT_EQ(*aimag.Intersect(nation), aimag);
  EXPECT_EQ(*aimag.Intersect(soum), soum);
  EXPECT_EQ(*soum.Intersect(aimag), soum);
  EXPECT_FALSE(soum.Intersect(AreaFilter::FromCode(18110)).has_value());
  EXPECT_FALSE(aimag.Intersect(AreaFilter::FromCode(18240)).has_value());
  EXPECT_EQ(soum.ToString(), "soum 18140");
  EXPECT_EQ(aimag.code(), 181);
}

}  // namespace
}  // namespace malchin::store
