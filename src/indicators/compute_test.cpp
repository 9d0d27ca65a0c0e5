// Computing the shipped indicators on a small generated register (one
// aimag of the demo register with demo insurance histories), each against
// an independent count written here, on the engine MALCHIN_TEST_ENGINE
// names.
#include "indicators/compute.h"

#include <gtest/gtest.h>

#include "backends/testing/engine_choice.h"
#include "backends/testing/test_database.h"
#include "demo/generator.h"
#include "geo/geography.h"
#include "grievance/repository.h"
#include "indicators/register_test_fixture.h"
#include "insurance/repository.h"
#include "registry/model.h"

namespace malchin::indicators {
namespace {

using testing::GeneratedRegister;

// Working-age herders and the insured among them in `month` (year*12 +
// month-1), counted person by person from the snapshot, optionally only
// one sex and one soum.
struct Count {
  int64_t persons = 0, insured = 0;
};
Count CountByHand(const insurance::InsuranceSnapshot& snap,
                  const params::ParameterSet& p, int scheme, Date first_day,
                  char sex = 0, int32_t soum = 0) {
  int32_t month = first_day.year() * 12 + first_day.month() - 1;
  int max_age[2] = {
      static_cast<int>(*p.Value("pension.normal_age.female", first_day)),
      static_cast<int>(*p.Value("pension.normal_age.male", first_day))};
  Count c;
  for (size_t i = 0; i < snap.persons(); ++i) {
    int age = Date::FromDays(snap.birth_days[i]).AgeOn(first_day);
    if (age < 18 || age >= max_age[snap.sex[i]]) continue;
    auto s = registry::SexCode(static_cast<registry::Sex>(snap.sex[i]));
    if (sex && s[0] != sex) continue;
    if (soum && snap.soum_code[snap.household[i]] != soum) continue;
    c.persons++;
    for (uint32_t j = snap.span_begin[scheme][i];
         j < snap.span_begin[scheme][i + 1]; ++j) {
      const auto& span = snap.spans[scheme][j];
      if (span.first_month <= month && month <= span.last_month) {
        c.insured++;
        break;
      }
    }
  }
  return c;
}

class ComputeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { reg_ = GeneratedRegister::Make().release(); }
  static void TearDownTestSuite() {
    delete reg_;
    reg_ = nullptr;
  }
  static GeneratedRegister* reg_;
};
GeneratedRegister* ComputeTest::reg_ = nullptr;

TEST_F(ComputeTest, InsuranceCoverageEqualsAnIndependentCount) {
  ASSERT_NE(reg_, nullptr);
  auto session = reg_->Connect();
  auto snap = session->Get<insurance::Repository>().LoadSnapshot({}, {});
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  ASSERT_GT(snap->persons(), 100u);
  for (auto [code, scheme] : {std::pair{"SI_COVERAGE_HERDERS", 0},
                              std::pair{"HI_COVERAGE_HERDERS", 1}}) {
    const Indicator& ind = *EmbeddedFramework().Find(code);
    auto v =
        Compute(*session, reg_->params(), ind, *Period::Parse("2020Q2"), {});
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(v->reference.ToString(), "2020-06-30");
    Date june = Date::FromYmd(2020, 6, 1);
    Count all = CountByHand(*snap, reg_->params(), scheme, june);
    ASSERT_GT(all.insured, 0);
    EXPECT_EQ(v->cells[0].denominator, all.persons) << code;
    EXPECT_EQ(v->cells[0].numerator, all.insured) << code;
    EXPECT_NEAR(v->cells[0].value, 100.0 * all.insured / all.persons, 0.006);
    Count women = CountByHand(*snap, reg_->params(), scheme, june, 'F');
    const Cell* f = v->Find({{"sex", "F"}});
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->denominator, women.persons);
    EXPECT_EQ(f->numerator, women.insured);
    int32_t soum = snap->soum_code[0];
    Count in_soum = CountByHand(*snap, reg_->params(), scheme, june, 0, soum);
    const Cell* s = v->Find({{"soum", std::to_string(soum)}});
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->numerator, in_soum.insured);
    EXPECT_EQ(s->denominator, in_soum.persons);
  }
}

TEST_F(ComputeTest, TheCallersAreaScopesTheValue) {
  ASSERT_NE(reg_, nullptr);
  auto session = reg_->Connect();
  auto snap = session->Get<insurance::Repository>().LoadSnapshot({}, {});
  ASSERT_TRUE(snap.ok());
  int32_t soum = snap->soum_code[0];
  session->SetCaller({"tos", "officer", store::AreaFilter::FromCode(soum)});
  const Indicator& ind = *EmbeddedFramework().Find("HI_COVERAGE_HERDERS");
  auto v = Compute(*session, reg_->params(), ind, *Period::Parse("202003"), {});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->area, soum);
  Count c =
      CountByHand(*snap, reg_->params(), 1, Date::FromYmd(2020, 3, 1), 0, soum);
  EXPECT_EQ(v->cells[0].denominator, c.persons);
  EXPECT_EQ(v->cells[0].numerator, c.insured);
}

// Cases of 2026Q4 (and one of 2027) in two soums, inserted as data.
grievance::Case GrievanceCase(int32_t soum, const char* received,
                              registry::Sex sex, int birth_year,
                              const char* decided, bool confidential = false) {
  grievance::Case c;
  c.channel = grievance::Channel::kOffice;
  c.category = confidential ? "gbv_disclosure" : "not_included";
  c.confidential = confidential;
  c.soum_code = soum;
  c.complainant.name = "Бат Сараа";
  c.complainant.sex = sex;
  c.complainant.birth_year = birth_year;
  c.complainant.contact = grievance::Contact::kLetter;
  c.summary = "Хүүхдийн мөнгө ороогүй";
  c.received_on = *Date::Parse(received);
  c.received_at = std::string(received) + "T03:00:00Z";
  c.recorded_by = "tos";
  c.acknowledge_by = c.received_on.AddDays(5);
  c.resolve_by = c.received_on.AddDays(30);
  if (decided) {
    c.state = grievance::CaseState::kResolved;
    c.decided_on = *Date::Parse(decided);
  }
  return c;
}

TEST_F(ComputeTest, GrievancesResolvedInTimeCountsTheCasesOfThePeriod) {
  ASSERT_NE(reg_, nullptr);
  auto session = reg_->Connect();
  using S = registry::Sex;
  std::vector<grievance::Case> cases = {
      GrievanceCase(18140, "2026-10-02", S::kFemale, 1985, "2026-10-20"),
      GrievanceCase(18140, "2026-11-01", S::kFemale, 2000, "2026-12-15"),
      GrievanceCase(18140, "2026-12-20", S::kMale, 1960, nullptr),
      GrievanceCase(18101, "2026-12-01", S::kMale, 1990, "2026-12-31"),
      GrievanceCase(18101, "2026-11-01", S::kFemale, 1990, "2026-11-02", true),
      GrievanceCase(18140, "2027-01-05", S::kFemale, 1985, "2027-01-06")};
  ASSERT_TRUE(session
                  ->Write([&]() -> Status {
                    auto& repo = session->Get<grievance::Repository>();
                    for (const auto& c : cases) {
                      // Inserted as received, then decided (as data).
                      grievance::Case received = c;
                      received.state = grievance::CaseState::kReceived;
                      received.decided_on.reset();
                      MALCHIN_ASSIGN_OR_RETURN(grievance::Case stored,
                                               repo.InsertCase(received));
                      stored.state = c.state;
                      stored.decided_on = c.decided_on;
                      MALCHIN_RETURN_IF_ERROR(repo.UpdateCase(stored).status());
                    }
                    return Status::Ok();
                  })
                  .ok());
  session->SetCaller({"nat", "national_officer", {}});
  const Indicator& ind =
      *EmbeddedFramework().Find("GRIEVANCES_RESOLVED_IN_TIME");
  auto v = Compute(*session, reg_->params(), ind, *Period::Parse("2026Q4"), {});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  // Q4 2026, seen in detail: 4 cases (the confidential one is not), of
  // which in time: 10-02 -> 10-20 and 12-01 -> 12-31 (on the deadline);
  // 11-01 -> 12-15 is late, 12-20 undecided.
  EXPECT_EQ(v->cells[0].denominator, 4);
  EXPECT_EQ(v->cells[0].numerator, 2);
  EXPECT_DOUBLE_EQ(v->cells[0].value, 50);
  const Cell* women = v->Find({{"sex", "F"}});
  ASSERT_NE(women, nullptr);
  EXPECT_EQ(women->denominator, 2);
  EXPECT_EQ(women->numerator, 1);
  const Cell* young = v->Find({{"sex", "F"}, {"age_band", "18-29"}});
  ASSERT_NE(young, nullptr);  // Born 2000, received 2026: 26.
  EXPECT_EQ(young->numerator, 0);
  EXPECT_EQ(young->denominator, 1);
  // The soum's officer sees only its cases.
  session->SetCaller(
      {"tos", "soum_officer", store::AreaFilter::FromCode(18101)});
  auto soum =
      Compute(*session, reg_->params(), ind, *Period::Parse("202612"), {});
  ASSERT_TRUE(soum.ok()) << soum.status().ToString();
  EXPECT_EQ(soum->cells[0].denominator, 1);
  EXPECT_EQ(soum->cells[0].numerator, 1);
}

}  // namespace
}  // namespace malchin::indicators
