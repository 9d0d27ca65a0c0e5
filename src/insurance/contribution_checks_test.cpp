// Insurance that refuses the impossible (#15): contributions dated in the
// future, months beyond the last dated rate, an amount of 0, a declared
// income below the insurable minimum (the rule named, never raised), and
// pension what-ifs with more years than a life allows.
#include "insurance/contribution_checks.h"

#include <gtest/gtest.h>

#include "insurance/pension.h"
#include "insurance/schemes.h"

namespace malchin::insurance {
namespace {

Date D(const char* s) { return *Date::Parse(s); }
const params::ParameterSet& P() { return **params::ParameterSet::Embedded(); }

PaymentRequest Social(int year, int month, int months) {
  PaymentRequest r;
  r.register_no = "ИЗ85120320";
  r.scheme = InsuranceScheme::kSocial;
  r.first_month = MakeMonth(year, month);
  r.months = months;
  r.paid_on = D("2025-06-01");
  return r;
}

TEST(ContributionChecksTest, RefusesAPaymentDatedAfterToday) {
  PaymentRequest r = Social(2025, 5, 1);
  EXPECT_TRUE(CheckContribution(P(), r, D("2025-06-01")).ok());
  r.paid_on = D("2027-05-01");
  Status st = CheckContribution(P(), r, D("2025-06-01"));
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.field(), "date");
  EXPECT_NE(st.message().find("2027-05-01"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("2025-06-01"), std::string::npos);
}

TEST(ContributionChecksTest, RefusesMonthsBeyondTheLastDatedRate) {
  // insurance.rates_set_through is 2026-12: December 2026 is priced, 2027
  // and 2030 are not (never at 2025's rates).
  const Date today = D("2026-12-15");
  PaymentRequest r = Social(2026, 12, 1);
  r.paid_on = today;
  EXPECT_TRUE(CheckContribution(P(), r, today).ok());
  r.months = 2;
  Status st = CheckContribution(P(), r, today);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.field(), "months");
  EXPECT_NE(st.message().find("insurance.rates_set_through"), std::string::npos)
      << st.message();
  r = Social(2030, 1, 1);
  r.paid_on = today;
  EXPECT_EQ(CheckContribution(P(), r, today).field(), "months");
}

TEST(ContributionChecksTest, RefusesAnAmountOfZero) {
  PaymentRequest r = Social(2025, 5, 1);
  r.amount = 0;
  Status st = CheckContribution(P(), r, D("2025-06-01"));
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.field(), "amount");
  r.amount = 1;
  EXPECT_TRUE(CheckContribution(P(), r, D("2025-06-01")).ok());
}

TEST(ContributionChecksTest, IncomeBelowTheMinimumIsRefusedNamingTheRule) {
  // May 2025: minimum wage 792,000.
  PaymentRequest r = Social(2025, 5, 1);
  r.declared_income = 500000;
  Status st = CheckContribution(P(), r, D("2025-06-01"));
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.field(), "income");
  EXPECT_NE(st.message().find("insurance.social.min_base_ratio"),
            std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("792,000"), std::string::npos) << st.message();
  r.declared_income = 0;  // Nothing declared: the minimum.
  EXPECT_TRUE(CheckContribution(P(), r, D("2025-06-01")).ok());
  r.declared_income = 900000;
  EXPECT_TRUE(CheckContribution(P(), r, D("2025-06-01")).ok());
  // Health has no declared income.
  r.scheme = InsuranceScheme::kHealth;
  r.declared_income = 500000;
  EXPECT_TRUE(CheckContribution(P(), r, D("2025-06-01")).ok());
}

TEST(ContributionChecksTest, RemittanceNamesTheMemberRefused) {
  RemittanceRequest r;
  r.cooperative = "Coop";
  r.paid_on = D("2025-06-01");
  MemberRequest ok;
  ok.register_no = "ИЗ85120320";
  ok.scheme = InsuranceScheme::kHealth;
  ok.first_month = MakeMonth(2025, 5);
  MemberRequest late = ok;
  late.register_no = "ИЗ90010151";
  late.first_month = MakeMonth(2031, 1);
  r.members = {ok, late};
  Status st = CheckRemittanceContributions(P(), r, D("2025-06-01"));
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("member 2 (ИЗ90010151)"), std::string::npos)
      << st.message();
  r.members = {ok};
  EXPECT_TRUE(CheckRemittanceContributions(P(), r, D("2025-06-01")).ok());
  r.paid_on = D("2031-01-01");
  EXPECT_FALSE(CheckRemittanceContributions(P(), r, D("2025-06-01")).ok());
}

TEST(ContributionChecksTest, PensionWhatIfRefusesTheImpossible) {
  PensionInput in;
  in.sex = registry::Sex::kMale;
  in.birth_date = D("1964-01-01");
  in.as_of = D("2025-06-01");  // Aged 61.
  in.past_years = 80;
  Status st = CheckPensionInput(P(), in);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.field(), "years");
  EXPECT_NE(st.message().find("pension.min_contribution_age"),
            std::string::npos)
      << st.message();
  in.past_years = 45;  // 61 - 16.
  EXPECT_TRUE(CheckPensionInput(P(), in).ok());
  in.past_herding_years = 46;
  EXPECT_EQ(CheckPensionInput(P(), in).field(), "herding_years");
  in.past_herding_years = 10;
  in.more_years = 40;  // Beyond age 100.
  EXPECT_EQ(CheckPensionInput(P(), in).field(), "more_years");
  in.more_years = -1;
  EXPECT_EQ(CheckPensionInput(P(), in).field(), "years");
}

}  // namespace
}  // namespace malchin::insurance
