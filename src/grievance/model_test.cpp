#include "grievance/model.h"

#include <gtest/gtest.h>

namespace malchin::grievance {
namespace {

TEST(ModelTest, NamesRoundTrip) {
  for (int i = 0; i < kChannelCount; ++i) {
    auto c = static_cast<Channel>(i);
    EXPECT_EQ(*ParseChannel(ChannelName(c)), c);
  }
  for (int i = 0; i < kCaseStateCount; ++i) {
    auto s = static_cast<CaseState>(i);
    EXPECT_EQ(*ParseCaseState(CaseStateName(s)), s);
  }
  EXPECT_EQ(*ParseAction("start_review"), Action::kStartReview);
  EXPECT_EQ(*ParseSubjectKind("insurance_entry"), SubjectKind::kInsuranceEntry);
  EXPECT_EQ(*ParseFixKind("payment_reissue"), FixKind::kPaymentReissue);
  EXPECT_EQ(FixCapability(FixKind::kPaymentHold), "response");
  EXPECT_EQ(FixCapability(FixKind::kRegisterCorrection), "registry");
}

TEST(ModelTest, AnUnknownNameListsTheKnownOnes) {
  auto bad = ParseChannel("fax");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "channel");
  EXPECT_NE(bad.status().message().find("office, hotline, web, sms or batch"),
            std::string::npos)
      << bad.status().message();
}

TEST(ModelTest, DecidedAndOpenStates) {
  EXPECT_TRUE(IsOpen(CaseState::kReceived));
  EXPECT_TRUE(IsOpen(CaseState::kUnderReview));
  EXPECT_FALSE(IsOpen(CaseState::kResolved));
  EXPECT_FALSE(IsOpen(CaseState::kClosed));
  EXPECT_TRUE(IsDecided(CaseState::kRejected));
  EXPECT_FALSE(IsDecided(CaseState::kClosed));
}

TEST(ModelTest, References) {
  EXPECT_EQ(MakeReference(2026, 42), "G-2026-00042");
  EXPECT_EQ(MakeReference(2027, 1234567), "G-2027-1234567");
}

}  // namespace
}  // namespace malchin::grievance
