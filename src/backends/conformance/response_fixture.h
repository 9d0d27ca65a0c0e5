// The conformance fixture of response::Repository (through the
// capability's response::Transfers): a small register (two
// households in Tes, one in Uliastai), an event in Tes and a one-installment
// plan of 40,000 per child under 6.
#pragma once

#include <gtest/gtest.h>

#include "backends/testing/test_database.h"
#include "response/transfers.h"

namespace malchin::conformance {

using backends::testing::EngineTest;
using registry::Household;
using registry::Person;
using registry::RegisterVersion;
using registry::Relation;
using registry::Roster;
using registry::Sex;
using response::IssuedPayment;
using response::PaymentResult;
using response::PaymentTotals;
using response::PlanRecord;
using response::ShockEventRecord;
using response::SnapshotChoice;
using store::AreaFilter;

inline Date D(const char* s) { return *Date::Parse(s); }

class ResponseFixture : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    mine_ = std::make_unique<response::Transfers>(session());
    rs_ = mine_.get();
    // Two households in Tes (18149), one in Uliastai (18101).
    std::vector<Household> hh = {Hh("H1", 18149), Hh("H2", 18149),
                                 Hh("H3", 18101)};
    std::vector<Person> ps = {
        P("ИЗ85120320", "H1", "1985-12-03", Sex::kFemale, Relation::kHead,
          "00051234567890"),
        P("ИЗ15220111", "H1", "2015-02-01", Sex::kMale, Relation::kChild, ""),
        P("ИЗ17220122", "H1", "2017-02-01", Sex::kFemale, Relation::kChild, ""),
        P("ИЗ80010111", "H2", "1980-01-01", Sex::kMale, Relation::kHead,
          "00151234567890"),
        P("ИЗ18220111", "H2", "2018-02-01", Sex::kMale, Relation::kChild, ""),
        P("ИЗ16220122", "H3", "2016-02-01", Sex::kFemale, Relation::kChild,
          "")};
    auto up = reg().Upsert(hh, ps, {"test", "t"});
    ASSERT_TRUE(up.ok()) << up.status().ToString();

    ShockEventRecord e;
    e.code = "tes-dzud";
    e.type = "dzud";
    e.name = "Tes dzud";
    e.source = "risk map";
    e.reference = "decision 1";
    e.declared_on = D("2019-12-01");
    e.starts_on = D("2019-12-01");
    e.soums = {{18149, response::Severity::kVeryHigh}};
    ASSERT_TRUE(rs_->CreateEvent(e, "maker").ok());
    plan_.code = "p1";
    plan_.event_code = "tes-dzud";
    plan_.kind = response::PlanKind::kHorizontal;
    plan_.name = "Phase 1";
    plan_.eligibility = "age < 6";
    plan_.amount = "40000";
    plan_.unit = response::Unit::kPerson;
    plan_.cutoff_on = D("2019-12-15");
    plan_.starts_on = D("2019-12-01");
    plan_.ends_on = D("2019-12-31");
    plan_.installments = {{1, D("2019-12-20")}};
  }
  void TearDown() override {
    transfers_.clear();
    others_.clear();
    mine_.reset();
    EngineTest::TearDown();
  }
  registry::Repository& reg() { return Get<registry::Repository>(); }

  static Household Hh(const char* id, int32_t soum) {
    Household h;
    h.id = id;
    h.soum_code = soum;
    h.current_soum_code = soum;
    return h;
  }
  static Person P(const char* rn, const char* hh, const char* born, Sex sex,
                  Relation rel, const char* account) {
    Person p;
    p.register_no = rn;
    p.household_id = hh;
    p.father_name = "Батбаяр";
    p.given_name = "Сүхээ";
    p.sex = sex;
    p.birth_date = D(born);
    p.relation = rel;
    p.bank_account = account;
    return p;
  }

  // Children under 6 on 2019-12-15 in Tes, paid to their household's head.
  static Result<std::vector<SnapshotChoice>> TesChildren(const Roster& r) {
    const auto& pop = r.population;
    std::vector<SnapshotChoice> out;
    Date cutoff = D("2019-12-15");
    for (size_t p = 0; p < pop.persons(); ++p) {
      int32_t h = pop.household[p];
      if (pop.soum_code[h] != 18149) continue;
      if (Date::FromDays(pop.birth_days[p]).AgeOn(cutoff) >= 6) continue;
      int32_t head = static_cast<int32_t>(p);
      for (size_t q = 0; q < pop.persons(); ++q) {
        if (pop.household[q] == h && r.has_account[q]) {
          head = static_cast<int32_t>(q);
        }
      }
      out.push_back({static_cast<int32_t>(p), head, 40000});
    }
    return out;
  }

  // The steps on another session (another connection, as another process
  // or app server would have).
  response::Transfers* Open() {
    others_.push_back(Connect());
    transfers_.push_back(
        std::make_unique<response::Transfers>(*others_.back()));
    return transfers_.back().get();
  }

  void ApproveAndPay() {
    ASSERT_TRUE(rs_->CreatePlan(plan_, "maker").ok());
    auto a = rs_->ApprovePlan("p1", "checker", {}, TesChildren);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(rs_->GeneratePayroll("p1", 1, "maker").ok());
    ASSERT_TRUE(rs_->ApprovePayroll("p1", 1, "checker").ok());
  }

  static Result<std::string> FirstFour(std::string_view account) {
    if (account.size() < 4) return Status::InvalidArgument("no account");
    return std::string(account.substr(0, 4));
  }

  std::unique_ptr<response::Transfers> mine_;
  response::Transfers* rs_ = nullptr;
  std::vector<std::unique_ptr<store::Session>> others_;
  std::vector<std::unique_ptr<response::Transfers>> transfers_;
  PlanRecord plan_;
};

}  // namespace malchin::conformance
