// Trainings, attendance, businesses with seed funds, and the statistics by
// area, sex and age band (members, trainees, business owners, in-kind
// recipients).
#include "coop/trainings.h"

#include "coop/distributions.h"
#include "coop/test_fixture.h"

namespace malchin::coop {
namespace {

using testing::CoopTest;
using testing::D;

class TrainingsTest : public CoopTest {
 protected:
  Training Life() {
    Training t;
    t.code = "ls-2021";
    t.topic = TrainingTopic::kLifeSkills;
    t.title = "Life skills";
    t.soum_code = 18140;
    t.place = "Culture centre";
    t.starts_on = D("2021-05-10");
    t.ends_on = D("2021-05-12");
    t.trainer = "NGO";
    return t;
  }
};

TEST_F(TrainingsTest, AttendanceIsRecordedOnce) {
  ASSERT_TRUE(CreateTraining(session(), ctx_, national_, Life()).ok());
  Training bad = Life();
  bad.code = "bad";
  bad.ends_on = D("2021-05-01");
  EXPECT_EQ(CreateTraining(session(), ctx_, national_, bad).status().field(),
            "ends_on");
  auto first =
      RecordAttendance(session(), national_, "ls-2021", {rn(0), rn(4)}, true);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->added, 2);
  auto again =
      RecordAttendance(session(), national_, "ls-2021", {rn(4), rn(5)}, true);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->added, 1);
  EXPECT_EQ(again->already, 1);
  // An unknown person fails the whole call: nobody is added.
  EXPECT_EQ(RecordAttendance(session(), national_, "ls-2021",
                             {rn(6), "ИЗ85120399"}, true)
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_EQ(AttendanceOf(session(), "ls-2021")->size(), 3u);
  EXPECT_EQ(FindTraining(session(), "ls-2021")->attendees, 3);
  auto went = TrainingsOf(session(), rn(4));
  ASSERT_TRUE(went.ok());
  ASSERT_EQ(went->size(), 1u);
  EXPECT_EQ((*went)[0].training_code, "ls-2021");
}

TEST_F(TrainingsTest, SeedFundsAreALedger) {
  ASSERT_TRUE(CreateTraining(session(), ctx_, national_, Life()).ok());
  Business b;
  b.code = "felt-1";
  b.name = "Felt boots";
  b.sector = "felt";
  b.soum_code = 18140;
  b.started_on = D("2021-08-01");
  b.owner_register_no = rn(4);
  b.training_code = "ls-2021";
  // The owner did not attend that training yet.
  EXPECT_EQ(RegisterBusiness(session(), ctx_, national_, b).status().code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(
      RecordAttendance(session(), national_, "ls-2021", {rn(4)}, true).ok());
  auto made = RegisterBusiness(session(), ctx_, national_, b);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  auto grant = RecordSeed(session(), national_, "felt-1", EntryKind::kGrant,
                          D("2021-09-01"), 2000000, "seed fund", "g1");
  ASSERT_TRUE(grant.ok()) << grant.status().ToString();
  EXPECT_EQ(RecordSeed(session(), national_, "felt-1", EntryKind::kRepayment,
                       D("2021-10-01"), 2500000, "", "")
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(RecordSeed(session(), national_, "felt-1", EntryKind::kRepayment,
                         D("2022-10-01"), 500000, "unspent", "")
                  .ok());
  // Reversing the grant would take the book below zero after the
  // repayment.
  EXPECT_EQ(ReverseSeed(session(), national_, "felt-1", grant->entry.id,
                        D("2021-09-02"), "wrong business", "")
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  auto st =
      SeedStatement(session(), "felt-1", D("2021-01-01"), D("2022-12-31"));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->closing, 1500000);
  EXPECT_EQ(st->inflows, 2000000);
  EXPECT_EQ(Businesses(session())->at(0).seed_balance, 1500000);
}

TEST_F(TrainingsTest, StatisticsBySexAgeAndArea) {
  MakeCoop("c1", {0, 1, 2});
  ASSERT_TRUE(CreateTraining(session(), ctx_, national_, Life()).ok());
  ASSERT_TRUE(RecordAttendance(session(), national_, "ls-2021",
                               {rn(0), rn(4), rn(5)}, true)
                  .ok());
  Business b;
  b.code = "felt-1";
  b.name = "Felt";
  b.soum_code = 18140;
  b.started_on = D("2021-08-01");
  b.owner_register_no = rn(4);
  b.training_code = "ls-2021";
  ASSERT_TRUE(RegisterBusiness(session(), ctx_, national_, b).ok());
  ASSERT_TRUE(
      AddItem(session(), national_, {0, "ram", "Ram", "Хуц", "head", 1, "", ""})
          .ok());
  Distribution d;
  d.code = "rams";
  d.kind = DistributionKind::kInKind;
  d.name = "Rams";
  d.item = "ram";
  d.area_code = 18140;
  d.eligibility = "household.head.sex == F and household.sheep_units < 200";
  d.quantity = "1";
  d.cutoff_on = D("2021-04-01");
  ASSERT_TRUE(Prepare(session(), ctx_, national_, d).ok());
  ASSERT_TRUE(Approve(session(), ctx_, checker_, "rams").ok());
  ASSERT_TRUE(Deliver(session(), ctx_, checker_,
                      {"rams", "H1", D("2021-05-01"), "", "", ""})
                  .ok());
  // A second in-kind distribution delivered to the same household: H1 is
  // still one recipient.
  d.code = "rams-2";
  d.name = "Rams again";
  ASSERT_TRUE(Prepare(session(), ctx_, national_, d).ok());
  ASSERT_TRUE(Approve(session(), ctx_, checker_, "rams-2").ok());
  ASSERT_TRUE(Deliver(session(), ctx_, checker_,
                      {"rams-2", "H1", D("2021-06-01"), "", "", ""})
                  .ok());

  using registry::Sex;
  struct Want {
    int32_t soum;
    Sex sex;
    int band;
    int64_t members, trainees, owners, in_kind;
  };
  const std::vector<Want> want = {
      {18125, Sex::kFemale, 5, 0, 1, 0, 0},  // H5 head, 31.
      {18140, Sex::kFemale, 4, 1, 0, 0, 0},  // H2 spouse, 25.
      {18140, Sex::kFemale, 5, 1, 1, 0, 1},  // H1 head, 36.
      {18140, Sex::kMale, 4, 1, 0, 0, 0},    // H2 head, 26.
      {18140, Sex::kMale, 6, 0, 1, 1, 0},    // H4 head, 51.
  };
  auto cells = Statistics(session(), {}, D("2022-01-01"));
  ASSERT_TRUE(cells.ok()) << cells.status().ToString();
  ASSERT_EQ(cells->size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const StatsCell& c = (*cells)[i];
    EXPECT_EQ(c.soum_code, want[i].soum) << i;
    EXPECT_EQ(c.sex, want[i].sex) << i;
    EXPECT_EQ(c.age_band, want[i].band) << i;
    EXPECT_EQ(c.members, want[i].members) << i;
    EXPECT_EQ(c.trainees, want[i].trainees) << i;
    EXPECT_EQ(c.business_owners, want[i].owners) << i;
    EXPECT_EQ(c.in_kind_recipients, want[i].in_kind) << i;
    // Only H4's head has a disability: a trainee and a business owner.
    const bool h4 = i == 4;
    EXPECT_EQ(c.members_with_disability, 0) << i;
    EXPECT_EQ(c.trainees_with_disability, h4 ? 1 : 0) << i;
    EXPECT_EQ(c.business_owners_with_disability, h4 ? 1 : 0) << i;
    EXPECT_EQ(c.in_kind_recipients_with_disability, 0) << i;
  }
  // Before the training, only memberships.
  auto early = Statistics(session(), {}, D("2021-01-01"));
  ASSERT_TRUE(early.ok());
  int64_t members = 0, others = 0;
  for (const StatsCell& c : *early) {
    members += c.members;
    others += c.trainees + c.business_owners + c.in_kind_recipients;
  }
  EXPECT_EQ(members, 3);
  EXPECT_EQ(others, 0);
  // One soum; and the caller's own area bounds what is counted.
  auto ikh_uul = Statistics(session(), {0, 18125}, D("2022-01-01"));
  ASSERT_TRUE(ikh_uul.ok());
  ASSERT_EQ(ikh_uul->size(), 1u);
  session().SetCaller({"ikhuul", "soum_officer", {0, 18125}});
  auto mine = Statistics(session(), {}, D("2022-01-01"));
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->size(), 1u);
}

}  // namespace
}  // namespace malchin::coop
