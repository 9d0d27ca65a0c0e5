// What the response capability tells about one person and one soum, on
// every engine (the herder's own page): every payment attempt newest first
// with the bank's reason and report time, the plans whose snapshot holds
// the person, the events declared for the soum with its severity.
#include <gtest/gtest.h>

#include "backends/conformance/response_fixture.h"

namespace malchin::conformance {
namespace {

constexpr auto kFailed = response::PaymentStatus::kFailed;

class ResponsePersonTest : public ResponseFixture {};

TEST_P(ResponsePersonTest, PaymentsPlansAndEventsOfAPersonAndASoum) {
  auto& rows = Get<response::Repository>();
  // Before anything: nothing, no error.
  EXPECT_TRUE(rows.PaymentsOf("ИЗ15220111", 10)->empty());
  EXPECT_TRUE(rows.EntitlementsOf("ИЗ15220111")->empty());
  EXPECT_TRUE(rows.EventsOfSoum(18101, 5)->empty());

  ASSERT_NO_FATAL_FAILURE(ApproveAndPay());
  auto events = rows.EventsOfSoum(18149, 5);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].code, "tes-dzud");
  EXPECT_EQ((*events)[0].severity, response::Severity::kVeryHigh);
  EXPECT_EQ((*events)[0].declared_on, D("2019-12-01"));

  auto plans = rows.EntitlementsOf("ИЗ15220111");
  ASSERT_TRUE(plans.ok()) << plans.status().ToString();
  ASSERT_EQ(plans->size(), 1u);
  EXPECT_EQ((*plans)[0].plan_code, "p1");
  EXPECT_EQ((*plans)[0].event_code, "tes-dzud");
  EXPECT_TRUE((*plans)[0].approved);
  EXPECT_EQ((*plans)[0].amount, 40000);
  EXPECT_EQ((*plans)[0].installments, 1);
  EXPECT_TRUE(rows.EntitlementsOf("ИЗ16220122")->empty());  // Uliastai.

  auto issued = rs_->IssuePayments("p1", 1, "maker", FirstFour);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  std::string ref;
  ASSERT_TRUE(rs_->ForEachIssued("p1", 1, issued->batch,
                                 [&](const IssuedPayment& p) {
                                   if (p.beneficiary_register_no ==
                                       "ИЗ15220111") {
                                     ref = p.reference;
                                   }
                                   return Status::Ok();
                                 })
                  .ok());
  auto pending = rows.PaymentsOf("ИЗ15220111", 10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].status, response::PaymentStatus::kPending);
  EXPECT_TRUE((*pending)[0].reported_at.empty());
  EXPECT_EQ((*pending)[0].bank_code, "0005");
  ASSERT_TRUE(rs_->ApplyResults("bank.csv",
                                {{2, ref, kFailed, 40000, "closed"}}, "maker")
                  .ok());
  auto failed = rows.PaymentsOf("ИЗ15220111", 10);
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0].status, kFailed);
  EXPECT_EQ((*failed)[0].reason, "closed");
  EXPECT_EQ((*failed)[0].plan_name, "Phase 1");
  EXPECT_FALSE((*failed)[0].reported_at.empty());
  EXPECT_EQ(rows.PaymentsOf("ИЗ15220111", 0)->size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Engines, ResponsePersonTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
