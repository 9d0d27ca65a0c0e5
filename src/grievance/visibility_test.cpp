// The confidentiality rule for every role, area and case kind.
#include "grievance/visibility.h"

#include <gtest/gtest.h>

#include "auth/roles.h"

namespace malchin::grievance {
namespace {

store::Caller As(const char* actor, auth::Role role, int32_t area) {
  return {actor, std::string(auth::RoleName(role)),
          store::AreaFilter::FromCode(area)};
}

CaseHeader Case(int32_t soum, bool confidential, std::string accused = "") {
  return {1, soum, confidential, std::move(accused)};
}

TEST(VisibilityTest, EveryRoleOnOrdinaryAndConfidentialCases) {
  using auth::Role;
  const CaseHeader ordinary = Case(18140, false);
  const CaseHeader confidential = Case(18140, true);
  struct Row {
    Role role;
    bool ordinary, confidential;
  };
  for (const Row& r : std::vector<Row>{{Role::kAdmin, false, false},
                                       {Role::kNationalOfficer, true, false},
                                       {Role::kAimagOfficer, true, false},
                                       {Role::kSoumOfficer, true, false},
                                       {Role::kAnalyst, false, false},
                                       {Role::kAuditor, false, false},
                                       {Role::kHotlineOperator, false, false},
                                       {Role::kGbvFocalPoint, false, true}}) {
    int32_t area = r.role == Role::kAimagOfficer  ? 181
                   : r.role == Role::kSoumOfficer ? 18140
                                                  : 0;
    Viewer v = ViewerOf(As("x", r.role, area));
    EXPECT_EQ(CanSee(v, ordinary), r.ordinary) << auth::RoleName(r.role);
    EXPECT_EQ(CanSee(v, confidential), r.confidential)
        << auth::RoleName(r.role);
    // Counts: every role sees that a case exists; details of a confidential
    // one only the focal point.
    EXPECT_TRUE(CountsInDetail(v, ordinary));
    EXPECT_EQ(CountsInDetail(v, confidential), r.role == Role::kGbvFocalPoint);
  }
}

TEST(VisibilityTest, AreaScopesFocalPointsLikeEveryoneElse) {
  Viewer zavkhan = ViewerOf(As("fp", auth::Role::kGbvFocalPoint, 181));
  EXPECT_TRUE(CanSee(zavkhan, Case(18140, true)));
  EXPECT_FALSE(CanSee(zavkhan, Case(26501, true)));  // Arkhangai.
  Viewer soum = ViewerOf(As("tos", auth::Role::kSoumOfficer, 18140));
  EXPECT_FALSE(CanSee(soum, Case(18125, false)));
}

TEST(VisibilityTest, TheAccusedNeverSeesTheCase) {
  for (auth::Role role : auth::AllRoles()) {
    Viewer v = ViewerOf(As("bold", role, 0));
    EXPECT_FALSE(CanSee(v, Case(18140, false, "bold"))) << auth::RoleName(role);
    EXPECT_FALSE(CanSee(v, Case(18140, true, "bold")));
    EXPECT_FALSE(CountsInDetail(v, Case(18140, false, "bold")));
  }
  // Another officer sees a staff-conduct case about bold.
  Viewer other = ViewerOf(As("dorj", auth::Role::kSoumOfficer, 18140));
  EXPECT_TRUE(CanSee(other, Case(18140, false, "bold")));
}

TEST(VisibilityTest, NoRoleSeesNothingAndAJobSeesAll) {
  Viewer cli = ViewerOf({"cli:root", "", {}});
  EXPECT_FALSE(CanSee(cli, Case(18140, false)));
  Viewer job = Viewer::SystemJob();
  EXPECT_TRUE(CanSee(job, Case(18140, true, "bold")));
}

}  // namespace
}  // namespace malchin::grievance
