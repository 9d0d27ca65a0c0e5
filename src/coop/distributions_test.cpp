// Distributions: the rams preview against an independent count,
// maker-checker, frozen lines, deliveries once per household (also two at
// once), payouts from the fund and feed from a warehouse.
#include "coop/distributions.h"

#include <thread>

#include "backends/testing/test_database.h"
#include "coop/feed.h"
#include "coop/fund.h"
#include "coop/test_fixture.h"
#include "demo/generator.h"
#include "response/repository.h"

namespace malchin::coop {
namespace {

using testing::CoopTest;
using testing::D;

constexpr const char* kRams =
    "household.sheep_units < 200 and (household.head.sex == F or "
    "household.head.age < 35)";

class DistributionsTest : public CoopTest {
 protected:
  void SetUp() override {
    CoopTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(AddItem(session(), national_,
                        {0, "ram", "Pedigree ram", "Үржлийн хуц", "head",
                         800000, "", ""})
                    .ok());
  }
  Distribution Rams(const std::string& code, int32_t area = 18140) {
    Distribution d;
    d.code = code;
    d.kind = DistributionKind::kInKind;
    d.name = "Pedigree rams";
    d.item = "ram";
    d.area_code = area;
    d.eligibility = kRams;
    d.quantity = "1";
    d.cutoff_on = D("2021-04-01");
    return d;
  }
};

TEST_F(DistributionsTest, TheRamsPreviewOfTheFixture) {
  auto p = Preview(session(), ctx_, Rams("rams"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  // H1 (female head), H2 (head aged 26), H6 (no herd, head aged 20).
  EXPECT_EQ(p->preview.national.households, 3);
  EXPECT_EQ(p->preview.national.amount, 3);
  EXPECT_EQ(p->total_value, 3 * 800000);
  int64_t women = 0, men = 0;
  for (const auto& c : p->preview.cells) {
    (c.sex == registry::Sex::kFemale ? women : men) += c.beneficiaries;
  }
  EXPECT_EQ(women, 1);
  EXPECT_EQ(men, 2);
}

TEST_F(DistributionsTest, MakerCheckerAndFrozenLines) {
  auto prepared = Prepare(session(), ctx_, national_, Rams("rams"));
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  EXPECT_EQ(prepared->status, DistributionStatus::kPrepared);
  // Bad rules are refused with their position.
  Distribution bad = Rams("bad");
  bad.eligibility = "household.head.sx == F";
  auto refused = Prepare(session(), ctx_, national_, bad);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("eligibility:1:"),
            std::string::npos);
  // The preparer cannot approve; nor can someone of another area.
  auto own = Approve(session(), ctx_, national_, "rams");
  EXPECT_EQ(own.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(own.status().message().find("maker-checker"), std::string::npos);
  EXPECT_EQ(Approve(session(), ctx_, ikh_uul_, "rams").status().code(),
            StatusCode::kPermissionDenied);
  // Deliveries wait for approval.
  EXPECT_EQ(Deliver(session(), ctx_, checker_,
                    {"rams", "H1", D("2021-05-01"), "", "", ""})
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  auto approved = Approve(session(), ctx_, checker_, "rams");
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->approved_by, "checker");
  EXPECT_EQ(approved->households, 3);
  EXPECT_EQ(approved->total_value, 2400000);
  // The register changes; the lines do not. Approving again changes
  // nothing, whoever asks.
  registry::Household h3 =
      **session().Get<registry::Repository>().FindHousehold("H3");
  h3.herd[registry::Species::kSheep] = 10;
  ASSERT_TRUE(
      session().Get<registry::Repository>().Upsert({h3}, {}, {"t", ""}).ok());
  auto again = Approve(session(), ctx_, national_, "rams");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->households, 3);
  auto lines = Lines(session(), "rams", false, 1, 50);
  ASSERT_TRUE(lines.ok());
  ASSERT_EQ(lines->total, 3);
  EXPECT_EQ(lines->items[0].household_id, "H1");
  EXPECT_EQ(lines->items[0].payee_register_no, rn(0));
  EXPECT_EQ(lines->items[1].payee_sex, registry::Sex::kMale);
}

TEST_F(DistributionsTest, EachHouseholdReceivesOnce) {
  ASSERT_TRUE(Prepare(session(), ctx_, national_, Rams("rams")).ok());
  ASSERT_TRUE(Approve(session(), ctx_, checker_, "rams").ok());
  DeliveryRequest r{"rams", "H2", D("2021-05-01"), rn(2), "", "key-1"};
  // The receiver must live in the household.
  DeliveryRequest stranger = r;
  stranger.received_by = rn(0);
  EXPECT_EQ(Deliver(session(), ctx_, zavkhan_, stranger).status().field(),
            "received_by");
  auto first = Deliver(session(), ctx_, zavkhan_, r);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->line.delivery);
  EXPECT_EQ(first->line.delivery->received_by, rn(2));
  EXPECT_EQ(first->line.delivery->confirmed_by, "zavkhan");
  // A retry with the same key is the same delivery; another is refused.
  auto retry = Deliver(session(), ctx_, zavkhan_, r);
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->replayed);
  r.client_key = "key-2";
  auto second = Deliver(session(), ctx_, zavkhan_, r);
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(second.status().message().find("аль хэдийн"), std::string::npos);
  // A household without a line.
  EXPECT_EQ(Deliver(session(), ctx_, zavkhan_,
                    {"rams", "H3", D("2021-05-01"), "", "", ""})
                .status()
                .code(),
            StatusCode::kNotFound);
  auto rest = DeliverAll(session(), ctx_, zavkhan_, "rams", D("2021-05-02"));
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  EXPECT_EQ(*rest, 2);
  EXPECT_EQ(*DeliverAll(session(), ctx_, zavkhan_, "rams", D("2021-05-03")), 0);
  EXPECT_EQ(FindDistribution(session(), "rams")->delivered, 3);
}

TEST_F(DistributionsTest, TwoConfirmationsAtOnceDeliverOnce) {
  ASSERT_TRUE(Prepare(session(), ctx_, national_, Rams("rams")).ok());
  ASSERT_TRUE(Approve(session(), ctx_, checker_, "rams").ok());
  std::vector<Status> results(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      auto s = NewSession();
      if (!s.ok()) {
        results[i] = s.status();
        return;
      }
      DeliveryRequest r{"rams", "H1", D("2021-05-01"),
                        "",     "",   "k" + std::to_string(i)};
      results[i] = Deliver(**s, ctx_, i ? checker_ : zavkhan_, r).status();
    });
  }
  for (auto& t : threads) t.join();
  const int ok = results[0].ok() + results[1].ok();
  EXPECT_EQ(ok, 1) << results[0].ToString() << " / " << results[1].ToString();
  for (const Status& s : results) {
    if (!s.ok()) {
      EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
    }
  }
  EXPECT_EQ(FindDistribution(session(), "rams")->delivered, 1);
}

TEST_F(DistributionsTest, APayoutIsPaidFromTheFundOncePerHousehold) {
  MakeCoop("c1", {0, 1, 3});
  ContributionRequest c{
      "c1", rn(0), D("2020-01-10"), Method::kCash, 120000, "", 0, "", ""};
  ASSERT_TRUE(Contribute(session(), ctx_, national_, c).ok());
  Distribution d;
  d.code = "dzud";
  d.kind = DistributionKind::kPayout;
  d.name = "Dzud payout";
  d.coop_code = "c1";
  d.eligibility = "household.herder";
  d.quantity = "if household.sheep_units < 200 then 50000 else 30000";
  d.cutoff_on = D("2020-02-01");
  auto p = Preview(session(), ctx_, d);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->preview.national.households, 3);  // Members' households only.
  EXPECT_EQ(p->total_value, 50000 + 50000 + 30000);
  EXPECT_EQ(p->available, 120000);
  ASSERT_TRUE(Prepare(session(), ctx_, national_, d).ok());
  // 130,000 due, 120,000 held: not approved.
  EXPECT_EQ(Approve(session(), ctx_, checker_, "dzud").status().code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(RecordSales(session(), national_, "c1", D("2020-01-20"), 30000,
                          "wool", "")
                  .ok());
  ASSERT_TRUE(Approve(session(), ctx_, checker_, "dzud").ok());
  auto paid = DeliverAll(session(), ctx_, checker_, "dzud", D("2020-02-10"));
  ASSERT_TRUE(paid.ok()) << paid.status().ToString();
  EXPECT_EQ(*paid, 3);
  EXPECT_EQ(*FundBalance(session(), "c1", D("2020-12-31")), 20000);
  auto st =
      FundStatement(session(), "c1", D("2020-02-10"), D("2020-02-10"), rn(3));
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->entries.size(), 1u);
  EXPECT_EQ(st->entries[0].kind, EntryKind::kPayout);
  EXPECT_EQ(st->entries[0].amount, -30000);
  EXPECT_EQ(Deliver(session(), ctx_, checker_,
                    {"dzud", "H1", D("2020-02-11"), "", "", ""})
                .status()
                .code(),
            StatusCode::kAlreadyExists);
}

TEST_F(DistributionsTest, FeedLeavesTheWarehouseItHas) {
  Warehouse w;
  w.code = "w1";
  w.name = "Reserve";
  w.soum_code = 18140;
  ASSERT_TRUE(RegisterWarehouse(session(), ctx_, national_, w).ok());
  ASSERT_TRUE(RecordMovement(session(), national_,
                             {"w1", D("2019-10-01"), FeedType::kHay,
                              MovementKind::kReceived, 1000, "purchase", ""})
                  .ok());
  EXPECT_EQ(RecordMovement(session(), national_,
                           {"w1", D("2019-11-01"), FeedType::kHay,
                            MovementKind::kLoss, 1500, "fire", ""})
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  Distribution d;
  d.code = "hay";
  d.kind = DistributionKind::kFeed;
  d.name = "Hay in the dzud";
  d.warehouse_code = "w1";
  d.item = "hay";
  d.eligibility = "household.herder and household.sheep_units < 200";
  d.quantity = "300";
  d.cutoff_on = D("2020-01-15");
  ASSERT_TRUE(Prepare(session(), ctx_, national_, d).ok());
  // H1, H2 and H4: 900 kg of the 1,000.
  auto a = Approve(session(), ctx_, checker_, "hay");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->total_quantity, 900);
  ASSERT_TRUE(RecordMovement(session(), national_,
                             {"w1", D("2020-01-16"), FeedType::kHay,
                              MovementKind::kLoss, 200, "snow", ""})
                  .ok());
  ASSERT_TRUE(Deliver(session(), ctx_, checker_,
                      {"hay", "H1", D("2020-01-20"), "", "", ""})
                  .ok());
  ASSERT_TRUE(Deliver(session(), ctx_, checker_,
                      {"hay", "H2", D("2020-01-20"), "", "", ""})
                  .ok());
  // 200 kg left: the third household's 300 kg cannot leave.
  EXPECT_EQ(Deliver(session(), ctx_, checker_,
                    {"hay", "H4", D("2020-01-20"), "", "", ""})
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(StockOn(session(), "w1", D("2020-02-01"))->hay_kg, 200);
  auto card = StockCard(session(), "w1");
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(card->back().stock_after, 200);
  EXPECT_EQ(card->back().movement.household_id, "H2");
  // Never twice: H1 has had its hay.
  EXPECT_EQ(Deliver(session(), ctx_, checker_,
                    {"hay", "H1", D("2020-01-21"), "", "", ""})
                .status()
                .code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(StockOn(session(), "w1", D("2020-02-01"))->hay_kg, 200);
}

TEST_F(DistributionsTest, AMovementIsReversedOnceAndFeedGivenOutIsNot) {
  Warehouse w;
  w.code = "w1";
  w.name = "Reserve";
  w.soum_code = 18140;
  ASSERT_TRUE(RegisterWarehouse(session(), ctx_, national_, w).ok());
  ASSERT_TRUE(RecordMovement(session(), national_,
                             {"w1", D("2019-10-01"), FeedType::kHay,
                              MovementKind::kReceived, 1000, "purchase", ""})
                  .ok());
  auto loss = RecordMovement(session(), national_,
                             {"w1", D("2019-11-01"), FeedType::kHay,
                              MovementKind::kLoss, 100, "counted twice", ""});
  ASSERT_TRUE(loss.ok()) << loss.status().ToString();
  Distribution d;
  d.code = "hay";
  d.kind = DistributionKind::kFeed;
  d.name = "Hay";
  d.warehouse_code = "w1";
  d.item = "hay";
  d.eligibility = "household.herder and household.sheep_units < 200";
  d.quantity = "100";
  d.cutoff_on = D("2020-01-15");
  ASSERT_TRUE(Prepare(session(), ctx_, national_, d).ok());
  ASSERT_TRUE(Approve(session(), ctx_, checker_, "hay").ok());
  ASSERT_TRUE(Deliver(session(), ctx_, checker_,
                      {"hay", "H1", D("2020-01-20"), "", "", ""})
                  .ok());
  const int64_t given = StockCard(session(), "w1")->back().movement.id;
  auto back =
      ReverseMovement(session(), national_, "w1", loss->movement.id,
                      D("2020-01-21"), "the loss was a count error", "");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->movement.kind, MovementKind::kReversal);
  EXPECT_EQ(back->movement.kg, 100);
  EXPECT_EQ(StockOn(session(), "w1", D("2020-01-31"))->hay_kg, 1000 - 100);
  EXPECT_EQ(ReverseMovement(session(), national_, "w1", loss->movement.id,
                            D("2020-01-22"), "again", "")
                .status()
                .code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(ReverseMovement(session(), national_, "w1", given, D("2020-01-22"),
                            "not delivered", "")
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReverseMovement(session(), national_, "w1", back->movement.id,
                            D("2020-01-22"), "undo", "")
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(StockOn(session(), "w1", D("2020-01-31"))->hay_kg, 900);
}

// A payout after a shock: the rule reads the event's severity in each
// household's soum; only the members where it is high are chosen.
TEST_F(DistributionsTest, APayoutChoosesByTheEventsSeverity) {
  MakeCoop("c1", {0, 1, 5});  // H1, H2 (18140) and H5 (18125).
  ASSERT_TRUE(Contribute(session(), ctx_, national_,
                         {"c1", rn(0), D("2020-01-10"), Method::kCash, 500000,
                          "", 0, "", ""})
                  .ok());
  response::ShockEventRecord e;
  e.code = "dzud-2020";
  e.type = "dzud";
  e.name = "Dzud 2020";
  e.declared_on = e.starts_on = D("2020-01-05");
  e.created_by = "national";
  auto& events = session().Get<response::Repository>();
  auto id = events.InsertEvent(e, "2020-01-05T00:00:00Z");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(events
                  .UpsertEventSoums(*id, {{18140, response::Severity::kHigh},
                                          {18125, response::Severity::kLow}})
                  .ok());
  Distribution d;
  d.code = "dzud";
  d.kind = DistributionKind::kPayout;
  d.name = "Dzud payout";
  d.coop_code = "c1";
  d.area_code = 181;  // Zavkhan: both soums.
  d.event_code = "dzud-2020";
  d.eligibility = "event.severity == \"high\"";
  d.quantity = "50000";
  d.cutoff_on = D("2020-02-01");
  auto p = Preview(session(), ctx_, d);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->preview.national.households, 2);
  EXPECT_EQ(p->total_value, 100000);
  ASSERT_TRUE(Prepare(session(), ctx_, national_, d).ok());
  auto a = Approve(session(), ctx_, checker_, "dzud");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto page = Lines(session(), "dzud", false, 1, 50);
  ASSERT_TRUE(page.ok());
  std::vector<std::string> chosen;
  for (const DistributionLine& l : page->items) {
    chosen.push_back(l.household_id);
  }
  EXPECT_EQ(chosen, (std::vector<std::string>{"H1", "H2"}));
  // Without the event the rule has no severity to read: nobody.
  d.code = "dzud-x";
  d.event_code.clear();
  auto none = Preview(session(), ctx_, d);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(none->preview.national.households, 0);
}

// The rams preview over a generated register (Zavkhan, 5%) equals a count
// made independently from the register's households and members.
TEST_F(DistributionsTest, TheRamsPreviewEqualsAnIndependentCount) {
  auto fresh = backends::testing::OpenTestStore();
  ASSERT_TRUE(fresh.ok());
  store::Session& s = *fresh->session;
  {
    auto loader = s.Get<registry::Repository>().BeginBulkLoad();
    ASSERT_TRUE(loader.ok());
    demo::Options opt;
    opt.scale = 0.05;
    opt.aimags = {181};
    demo::Sink sink{
        [&](const registry::Household& h) {
          return (*loader)->AddHousehold(h);
        },
        [&](const registry::Person& p) { return (*loader)->AddPerson(p); }};
    ASSERT_TRUE(demo::Generate(*ctx_.geography, opt, sink).ok());
    ASSERT_TRUE((*loader)->Finish().ok());
  }
  ASSERT_TRUE(
      AddItem(s, national_, {0, "ram", "Ram", "Хуц", "head", 1, "", ""}).ok());
  Distribution d = Rams("rams", 181);
  auto p = Preview(s, ctx_, d);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  // Independently: each household's head (the first member whose relation
  // is head), sheep units at the factors of the cut-off date.
  auto factors = *registry::SheepUnitFactors::On(*ctx_.parameters, d.cutoff_on);
  int64_t households = 0, women = 0, young_men = 0;
  auto& reg = s.Get<registry::Repository>();
  ASSERT_TRUE(
      reg.ForEachHousehold(
             {0, 0},
             [&](const registry::Household& h) {
               double units = 0;
               for (int k = 0; k < registry::kSpeciesCount; ++k) {
                 units += h.herd.head[k] * factors.factor[k];
               }
               if (!(units < 200)) return Status::Ok();
               MALCHIN_ASSIGN_OR_RETURN(auto members, reg.Members(h.id));
               for (const registry::Person& m : members) {
                 if (m.relation != registry::Relation::kHead ||
                     m.birth_date > d.cutoff_on) {
                   continue;
                 }
                 const bool woman = m.sex == registry::Sex::kFemale;
                 const bool young = m.birth_date.AgeOn(d.cutoff_on) < 35;
                 if (woman || young) ++households;
                 if (woman) {
                   ++women;
                 } else if (young) {
                   ++young_men;
                 }
                 break;
               }
               return Status::Ok();
             })
          .ok());
  ASSERT_GT(households, 50);
  EXPECT_EQ(p->preview.national.households, households);
  int64_t f = 0, m = 0;
  for (const auto& c : p->preview.cells) {
    (c.sex == registry::Sex::kFemale ? f : m) += c.beneficiaries;
  }
  EXPECT_EQ(f, women);
  EXPECT_EQ(m, young_men);
}

}  // namespace
}  // namespace malchin::coop
