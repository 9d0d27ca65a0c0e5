#include "core/clock.h"

#include <gtest/gtest.h>

namespace malchin {
namespace {

TEST(FakeClockTest, MovesOnlyWhenTold) {
  FakeClock clock(Date::FromYmd(2020, 1, 15));
  EXPECT_EQ(clock.Today(), Date::FromYmd(2020, 1, 15));
  EXPECT_EQ(clock.NowIso(), "2020-01-15T00:00:00Z");
  clock.Advance(std::chrono::hours(24 * 8) + std::chrono::minutes(90));
  EXPECT_EQ(clock.Today(), Date::FromYmd(2020, 1, 23));
  EXPECT_EQ(clock.NowIso(), "2020-01-23T01:30:00Z");
}

TEST(SystemClockTest, AgreesWithTheDate) {
  EXPECT_EQ(SystemClock::Instance().Today(), Date::TodayUtc());
}

}  // namespace
}  // namespace malchin
