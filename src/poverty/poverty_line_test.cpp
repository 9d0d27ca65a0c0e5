// The official poverty line from the shipped dated parameters.
#include "poverty/poverty_line.h"

#include <gtest/gtest.h>

namespace malchin::poverty {
namespace {

std::shared_ptr<const params::ParameterSet> Shipped() {
  auto p = params::ParameterSet::Embedded();
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return *p;
}

TEST(OfficialPovertyLineTest, PerCapitaLineInForceOnADate) {
  auto params = Shipped();
  auto l2016 = OfficialPovertyLine(*params, Date::FromYmd(2016, 6, 30),
                                   EquivalenceScale::kPerCapita);
  ASSERT_TRUE(l2016.ok()) << l2016.status().ToString();
  EXPECT_EQ(l2016->mnt, 146100);
  EXPECT_EQ(l2016->parameter, "poverty.line.per_capita");
  EXPECT_EQ(l2016->in_force_from, Date::FromYmd(2016, 1, 1));
  EXPECT_EQ(l2016->parameter_version, params->version());
  EXPECT_NE(l2016->source.find("2016"), std::string::npos);
  // 2018: the 2016 line is still the one in force (no 2018 line found).
  EXPECT_EQ(OfficialPovertyLine(*params, Date::FromYmd(2019, 12, 31),
                                EquivalenceScale::kPerCapita)
                ->mnt,
            146100);
  auto l2024 = OfficialPovertyLine(*params, Date::FromYmd(2024, 6, 1),
                                   EquivalenceScale::kPerCapita);
  ASSERT_TRUE(l2024.ok());
  EXPECT_EQ(l2024->mnt, 184747);
  EXPECT_EQ(l2024->in_force_from, Date::FromYmd(2020, 1, 1));
}

TEST(OfficialPovertyLineTest, NoLineBefore2016OrForOtherScales) {
  auto params = Shipped();
  auto early = OfficialPovertyLine(*params, Date::FromYmd(2015, 12, 31),
                                   EquivalenceScale::kPerCapita);
  EXPECT_EQ(early.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(early.status().message().find("give the line"), std::string::npos);
  auto oecd = OfficialPovertyLine(*params, Date::FromYmd(2024, 1, 1),
                                  EquivalenceScale::kOecdModified);
  EXPECT_EQ(oecd.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(oecd.status().message().find("oecd_modified"), std::string::npos);
}

TEST(OfficialPovertyLineTest, ALaterLineAddedByAnAdministratorWins) {
  auto params = Shipped()->Override(
      "poverty.line.per_capita",
      {{Date::FromYmd(2024, 1, 1), 250000, "test", "high"}});
  auto l = OfficialPovertyLine(*params, Date::FromYmd(2024, 2, 1),
                               EquivalenceScale::kPerCapita);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->mnt, 250000);
  EXPECT_EQ(l->source, "test");
}

TEST(OfficialPovertyLineTest, AdultEquivalentLineIsRecordedButSeparate) {
  auto params = Shipped();
  auto v =
      params->Value("poverty.line.adult_equivalent", Date::FromYmd(2023, 1, 1));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 418090);
}

}  // namespace
}  // namespace malchin::poverty
