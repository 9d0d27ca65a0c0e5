// The response catalog: events and plans listed by area.
#include <gtest/gtest.h>

#include "backends/testing/test_database.h"
#include "response/catalog.h"
#include "response/transfers.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using response::EventSoum;
using response::PlanRecord;
using response::ShockEventRecord;
using store::AreaFilter;

Date D(const char* s) { return *Date::Parse(s); }

ShockEventRecord Event(const char* code, const char* declared,
                       std::vector<EventSoum> soums) {
  ShockEventRecord e;
  e.code = code;
  e.type = "dzud";
  e.name = std::string("event ") + code;
  e.declared_on = e.starts_on = D(declared);
  e.soums = std::move(soums);
  return e;
}

PlanRecord Plan(const char* code, const char* event) {
  PlanRecord p;
  p.code = code;
  p.event_code = event;
  p.kind = response::PlanKind::kHorizontal;
  p.name = code;
  p.eligibility = "age < 6";
  p.amount = "40000";
  p.unit = response::Unit::kPerson;
  p.cutoff_on = p.starts_on = D("2020-01-01");
  p.ends_on = D("2020-03-31");
  p.installments = {{1, D("2020-01-20")}, {2, D("2020-02-20")}};
  return p;
}

class ResponseCatalogTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    transfers_ = std::make_unique<response::Transfers>(session());
    rs_ = transfers_.get();
    catalog_ = &Get<response::Catalog>();
  }

  void TearDown() override {
    transfers_.reset();
    EngineTest::TearDown();
  }

  std::unique_ptr<response::Transfers> transfers_;
  response::Transfers* rs_ = nullptr;
  response::Catalog* catalog_ = nullptr;
};

TEST_P(ResponseCatalogTest, ListsEventsAndPlansOfTheArea) {
  // Zavkhan (181): two soums; Arkhangai (265): one soum.
  ASSERT_TRUE(rs_->CreateEvent(Event("zavkhan", "2019-12-01",
                                     {{18140, response::Severity::kVeryHigh},
                                      {18125, response::Severity::kHigh}}),
                               "maker")
                  .ok());
  ASSERT_TRUE(rs_->CreateEvent(Event("arkhangai", "2020-01-05",
                                     {{26504, response::Severity::kHigh}}),
                               "maker")
                  .ok());
  ASSERT_TRUE(rs_->CreatePlan(Plan("z1", "zavkhan"), "maker").ok());
  ASSERT_TRUE(rs_->CreatePlan(Plan("a1", "arkhangai"), "maker").ok());

  auto all = catalog_->ListEvents({});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].code, "arkhangai");  // Newest first.
  EXPECT_EQ((*all)[1].code, "zavkhan");
  EXPECT_EQ((*all)[1].soums, 2);
  EXPECT_EQ((*all)[1].plans, 1);
  EXPECT_EQ((*all)[1].declared_on, D("2019-12-01"));

  AreaFilter zavkhan;
  zavkhan.aimag_code = 181;
  auto z = catalog_->ListEvents(zavkhan);
  ASSERT_TRUE(z.ok());
  ASSERT_EQ(z->size(), 1u);
  EXPECT_EQ((*z)[0].code, "zavkhan");
  AreaFilter tes;
  tes.soum_code = 18149;
  EXPECT_TRUE(catalog_->ListEvents(tes)->empty());
  AreaFilter tosontsengel;
  tosontsengel.soum_code = 18140;
  EXPECT_EQ((*catalog_->ListEvents(tosontsengel))[0].soums, 1);

  auto plans = catalog_->ListPlans("", {});
  ASSERT_TRUE(plans.ok()) << plans.status().ToString();
  ASSERT_EQ(plans->size(), 2u);
  EXPECT_EQ((*plans)[0].code, "a1");
  EXPECT_EQ((*plans)[1].code, "z1");
  EXPECT_EQ((*plans)[1].event_code, "zavkhan");
  EXPECT_EQ((*plans)[1].status, response::PlanStatus::kPrepared);
  EXPECT_EQ((*plans)[1].prepared_by, "maker");
  EXPECT_EQ((*plans)[1].installments, 2);
  EXPECT_EQ(catalog_->ListPlans("zavkhan", {})->size(), 1u);
  EXPECT_TRUE(catalog_->ListPlans("nope", {})->empty());
  auto zp = catalog_->ListPlans("", zavkhan);
  ASSERT_EQ(zp->size(), 1u);
  EXPECT_EQ((*zp)[0].code, "z1");
  EXPECT_TRUE(catalog_->ListPlans("arkhangai", zavkhan)->empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, ResponseCatalogTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
