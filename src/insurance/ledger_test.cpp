#include "insurance/ledger.h"

#include <gtest/gtest.h>

#include "insurance/schemes.h"

namespace malchin::insurance {
namespace {

using insurance::InsuranceScheme;
using insurance::LedgerEntry;

const params::ParameterSet& P() { return **params::ParameterSet::Embedded(); }

LedgerEntry E(int64_t id, int year, int month, int months, int64_t amount,
              InsuranceScheme s = InsuranceScheme::kHealth) {
  LedgerEntry e;
  e.id = id;
  e.register_no = "ИЗ85120320";
  e.scheme = s;
  e.first_month = MakeMonth(year, month);
  e.months = months;
  e.amount = amount;
  return e;
}

TEST(LedgerTest, FullPaymentCoversItsMonths) {
  auto st = ComputeStatement(P(), InsuranceScheme::kHealth,
                             {E(1, 2024, 1, 12, 12 * 6600)});
  ASSERT_TRUE(st.ok()) << st.status().message();
  EXPECT_EQ(st->covered_months, 12);
  ASSERT_EQ(st->covered.size(), 1u);
  EXPECT_EQ(st->covered[0].first_month, MakeMonth(2024, 1));
  EXPECT_EQ(st->covered[0].last_month, MakeMonth(2024, 12));
  EXPECT_EQ(st->partial_months, 0);
  EXPECT_EQ(st->overpaid, 0);
}

// March 2025 is due at 660,000, April at 792,000: paying 2 x 6,600 for
// March-April leaves April partly paid.
TEST(LedgerTest, ParameterDatingAndPartialPayment) {
  auto st = ComputeStatement(P(), InsuranceScheme::kHealth,
                             {E(1, 2025, 3, 2, 2 * 6600)});
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->covered_months, 1);
  EXPECT_EQ(st->partial_months, 1);
  EXPECT_EQ(st->shortfall, 7920 - 6600);
  ASSERT_EQ(st->months.size(), 2u);
  EXPECT_EQ(st->months[1].due, 7920);
  EXPECT_EQ(st->months[1].state, MonthState::kPartial);
  // Money runs out: 1.5 months paid for 3.
  st = ComputeStatement(P(), InsuranceScheme::kHealth,
                        {E(1, 2024, 1, 3, 6600 + 3300)});
  EXPECT_EQ(st->covered_months, 1);
  EXPECT_EQ(st->partial_months, 2);
  EXPECT_EQ(st->shortfall, 3300 + 6600);
  // Two partial payments for the same month add up.
  st = ComputeStatement(P(), InsuranceScheme::kHealth,
                        {E(1, 2024, 5, 1, 3000), E(2, 2024, 5, 1, 3600)});
  EXPECT_EQ(st->covered_months, 1);
  EXPECT_EQ(st->months[0].payments, 2);
  EXPECT_EQ(st->months[0].state, MonthState::kPaid);
}

TEST(LedgerTest, OverpaymentAndMonthsPaidTwiceAreReported) {
  auto st = ComputeStatement(P(), InsuranceScheme::kHealth,
                             {E(1, 2024, 1, 2, 20000)});
  EXPECT_EQ(st->covered_months, 2);
  EXPECT_EQ(st->overpaid, 20000 - 13200);
  st = ComputeStatement(P(), InsuranceScheme::kHealth,
                        {E(1, 2024, 1, 3, 3 * 6600), E(2, 2024, 3, 2, 13200)});
  EXPECT_EQ(st->covered_months, 4);
  EXPECT_EQ(st->paid_twice_months, 1);
  EXPECT_EQ(st->paid_twice_excess, 6600);
  EXPECT_EQ(st->months[2].state, MonthState::kPaidTwice);
  EXPECT_EQ(st->total_paid, 5 * 6600);
  ASSERT_EQ(st->covered.size(), 1u);
  EXPECT_EQ(st->covered[0].last_month, MakeMonth(2024, 4));
}

TEST(LedgerTest, ReversalsCancelTheirEntry) {
  LedgerEntry rev = E(3, 2024, 3, 2, -13200);
  rev.reverses = 2;
  auto st = ComputeStatement(
      P(), InsuranceScheme::kHealth,
      {E(1, 2024, 1, 3, 3 * 6600), E(2, 2024, 3, 2, 13200), rev});
  EXPECT_EQ(st->covered_months, 3);
  EXPECT_EQ(st->paid_twice_months, 0);
  EXPECT_EQ(st->total_paid, 3 * 6600);
  ASSERT_EQ(st->reversed.size(), 1u);
  EXPECT_EQ(st->reversed[0], 2);
  // Other schemes do not mix.
  st = ComputeStatement(P(), InsuranceScheme::kSocial,
                        {E(1, 2024, 1, 3, 3 * 6600)});
  EXPECT_EQ(st->covered_months, 0);
}

TEST(LedgerTest, SocialMonthsKeepTheirIncomeBase) {
  LedgerEntry e = E(1, 2025, 3, 2, 82500 + 99000, InsuranceScheme::kSocial);
  auto st = ComputeStatement(P(), InsuranceScheme::kSocial, {e});
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->covered_months, 2);
  ASSERT_EQ(st->insured_income.size(), 2u);
  EXPECT_EQ(st->insured_income[0].second, 660000);
  EXPECT_EQ(st->insured_income[1].second, 792000);
}

TEST(LedgerTest, MergeMonths) {
  auto s = MergeMonths({1, 2, 3, 5, 7, 8});
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], (insurance::CoverageSpan{1, 3}));
  EXPECT_EQ(s[2], (insurance::CoverageSpan{7, 8}));
  EXPECT_TRUE(MergeMonths({}).empty());
}

}  // namespace
}  // namespace malchin::insurance
