// Cooperatives and memberships: registration rules, joining, leaving,
// roles over time, a person's memberships, area scoping.
#include "coop/cooperatives.h"

#include "coop/test_fixture.h"

namespace malchin::coop {
namespace {

using testing::CoopTest;
using testing::D;

class CooperativesTest : public CoopTest {};

TEST_F(CooperativesTest, RegistrationIsCheckedAndIdempotent) {
  Cooperative c;
  c.code = "18140-01";
  c.name = "Тосонцэнгэл малчдын хоршоо 1";
  c.type = GroupType::kCooperative;
  c.soum_code = 18140;
  c.bag = "3";
  c.registration_no = "9012345";
  c.registered_on = D("2015-04-01");
  auto first = RegisterCooperative(session(), ctx_, national_, c);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->created_by, "national");
  auto again = RegisterCooperative(session(), ctx_, checker_, c);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->created_by, "national");

  Cooperative other = c;
  other.name = "Another name";
  EXPECT_EQ(
      RegisterCooperative(session(), ctx_, national_, other).status().code(),
      StatusCode::kAlreadyExists);
  // The registration number is unique too (a database constraint).
  Cooperative twin = c;
  twin.code = "18140-02";
  EXPECT_EQ(
      RegisterCooperative(session(), ctx_, national_, twin).status().code(),
      StatusCode::kAlreadyExists);

  Cooperative bad = c;
  bad.code = "18140-09";
  bad.soum_code = 181;  // An aimag.
  auto r = RegisterCooperative(session(), ctx_, national_, bad);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "soum_code");
  bad.soum_code = 18140;
  bad.code = "Bad Code";
  EXPECT_EQ(
      RegisterCooperative(session(), ctx_, national_, bad).status().field(),
      "code");
  // A soum officer of Ikh-Uul registers nothing in Tosontsengel.
  bad.code = "18140-10";
  EXPECT_EQ(RegisterCooperative(session(), ctx_, ikh_uul_, bad).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(CooperativesTest, MembersJoinLeaveAndChangeRoles) {
  MakeCoop("c1", {0, 1});
  // Once a member, not twice.
  auto twice = Join(session(), national_,
                    {"c1", rn(1), MemberRole::kMember, D("2017-01-01")});
  EXPECT_EQ(twice.status().code(), StatusCode::kAlreadyExists);
  // Not before the cooperative was registered.
  EXPECT_EQ(Join(session(), national_,
                 {"c1", rn(2), MemberRole::kMember, D("2014-12-31")})
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  // A person of another soum joins (members need not live in its soum).
  ASSERT_TRUE(Join(session(), national_,
                   {"c1", rn(5), MemberRole::kMember, D("2018-03-01")})
                  .ok());

  auto promoted = ChangeRole(session(), national_, "c1", rn(1),
                             MemberRole::kTreasurer, D("2019-01-01"));
  ASSERT_TRUE(promoted.ok()) << promoted.status().ToString();
  EXPECT_EQ(promoted->joined_on, D("2019-01-01"));
  EXPECT_EQ(ChangeRole(session(), national_, "c1", rn(1),
                       MemberRole::kTreasurer, D("2020-01-01"))
                .status()
                .code(),
            StatusCode::kFailedPrecondition);

  EXPECT_EQ(Leave(session(), national_, "c1", rn(5), D("2018-02-01"), "moved")
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Leave(session(), national_, "c1", rn(5), D("2020-02-01"), "")
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  auto left = Leave(session(), national_, "c1", rn(5), D("2020-02-01"),
                    "moved to Uliastai");
  ASSERT_TRUE(left.ok()) << left.status().ToString();
  EXPECT_EQ(Leave(session(), national_, "c1", rn(5), D("2020-03-01"), "x")
                .status()
                .code(),
            StatusCode::kNotFound);

  // On a date, the members then; all periods otherwise.
  auto on2018 = Members(session(), "c1", D("2018-06-01"));
  ASSERT_TRUE(on2018.ok());
  EXPECT_EQ(on2018->size(), 3u);
  auto on2021 = Members(session(), "c1", D("2021-06-01"));
  ASSERT_TRUE(on2021.ok());
  ASSERT_EQ(on2021->size(), 2u);
  EXPECT_EQ((*on2021)[1].role, MemberRole::kTreasurer);
  auto all = Members(session(), "c1", std::nullopt);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);  // H1 head, H2 head twice (roles), H5 head.

  // A person's memberships on their record.
  auto mine = MembershipsOf(session(), rn(1));
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].role, MemberRole::kMember);
  EXPECT_EQ((*mine)[0].left_on, D("2018-12-31"));
  EXPECT_EQ((*mine)[1].household_id, "H2");
}

TEST_F(CooperativesTest, CallersSeeTheirAreaOnly) {
  MakeCoop("c1", {0, 5});
  session().SetCaller({"ikhuul", "soum_officer", {0, 18125}});
  EXPECT_EQ(FindCooperative(session(), "c1").status().code(),
            StatusCode::kNotFound);
  auto page = ListCooperatives(session(), {}, D("2020-01-01"));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 0);
  // Their own person's membership is on the person's record.
  auto mine = MembershipsOf(session(), rn(5));
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->size(), 1u);
  session().SetCaller({"zavkhan", "aimag_officer", {181, 0}});
  page = ListCooperatives(session(), {}, D("2020-01-01"));
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].members, 2);
  EXPECT_EQ(page->items[0].households, 2);
}

}  // namespace
}  // namespace malchin::coop
