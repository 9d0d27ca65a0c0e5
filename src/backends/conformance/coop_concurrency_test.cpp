// Two app servers at once, on every engine: two confirmations of the same
// delivery deliver once; two payouts from a fund that holds one pay one.
// The services serialize on store locks (Session::Lock); the database's
// constraints are the last line.
#include <gtest/gtest.h>

#include <thread>

#include "backends/conformance/coop_fixture.h"
#include "backends/testing/test_database.h"
#include "coop/distributions.h"
#include "coop/repository.h"

namespace malchin::conformance {
namespace {

using backends::testing::EngineTest;
using namespace coop;

Date D(const char* s) { return *Date::Parse(s); }

class CoopConcurrencyTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    ASSERT_TRUE(WriteCoopRegister(database(), engine(), &reg_).ok());
    auto c = Context::Embedded();
    ASSERT_TRUE(c.ok());
    ctx_ = std::move(*c);
    ctx_.frames = nullptr;
  }

  // An approved distribution of `kind` with lines for H1 and H2 of value
  // `value` each (written through the repositories, as an approval would).
  void Approved(DistributionKind kind, int64_t coop_id, int64_t value) {
    auto& d = Get<DistributionRepository>();
    int64_t item_id = 0;
    Distribution x;
    x.code = "d1";
    x.kind = kind;
    x.name = "Test";
    x.area_code = 18140;
    x.eligibility = "household.herder";
    x.quantity = std::to_string(value);
    x.cutoff_on = D("2021-04-01");
    if (kind == DistributionKind::kInKind) {
      auto id =
          d.InsertItem({0, "ram", "Ram", "Хуц", "head", 1, "", ""}, "m", "t");
      ASSERT_TRUE(id.ok());
      item_id = *id;
      x.item = "ram";
    } else {
      x.coop_code = "c1";
    }
    auto id = d.InsertDistribution(x, coop_id, 0, item_id, "maker", "t");
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    std::vector<NewLine> lines = {
        {"H1", reg_.h1_head_pid, 18140, registry::Sex::kFemale, D("1985-12-03"),
         value, value},
        {"H2", reg_.h2_head_pid, 18140, registry::Sex::kMale, D("1995-02-10"),
         value, value}};
    ASSERT_TRUE(
        d.Approve(*id, "checker", "t", lines, 2 * value, 2 * value).ok());
  }

  // Runs Deliver for each request on its own session and thread, at once.
  std::vector<Status> AtOnce(const std::vector<DeliveryRequest>& requests) {
    std::vector<Status> out(requests.size());
    std::vector<std::unique_ptr<store::Session>> sessions;
    for (size_t i = 0; i < requests.size(); ++i) {
      sessions.push_back(Connect({}, "officer" + std::to_string(i)));
    }
    std::vector<std::thread> threads;
    for (size_t i = 0; i < requests.size(); ++i) {
      threads.emplace_back([&, i] {
        const Actor a{
            "officer" + std::to_string(i), auth::Role::kNationalOfficer, {}};
        out[i] = Deliver(*sessions[i], ctx_, a, requests[i]).status();
      });
    }
    for (auto& t : threads) t.join();
    return out;
  }

  CoopRegister reg_;
  Context ctx_;
};

TEST_P(CoopConcurrencyTest, TwoConfirmationsOfOneDeliveryDeliverOnce) {
  Approved(DistributionKind::kInKind, 0, 1);
  if (HasFatalFailure()) return;
  for (const char* hh : {"H1", "H2"}) {
    DeliveryRequest r{"d1", hh, D("2021-05-01"), "", "", ""};
    std::vector<Status> s = AtOnce({r, r});
    EXPECT_EQ(s[0].ok() + s[1].ok(), 1)
        << s[0].ToString() << " / " << s[1].ToString();
    for (const Status& x : s) {
      if (!x.ok()) {
        EXPECT_EQ(x.code(), StatusCode::kAlreadyExists) << x.ToString();
      }
    }
  }
  auto d = Get<DistributionRepository>().FindDistribution("d1");
  ASSERT_TRUE(d.ok() && *d);
  EXPECT_EQ((*d)->delivered, 2);
}

TEST_P(CoopConcurrencyTest, TwoPayoutsFromAFundThatHoldsOnePayOne) {
  auto& repo = Get<Repository>();
  Cooperative c;
  c.code = "c1";
  c.name = "Coop";
  c.soum_code = 18140;
  auto coop_id = repo.InsertCooperative(c, "m", "t");
  ASSERT_TRUE(coop_id.ok());
  LedgerEntry sales;
  sales.on = D("2020-01-01");
  sales.kind = EntryKind::kSales;
  sales.amount = 70000;
  ASSERT_TRUE(repo.AppendEntry(sales, *coop_id, 18140, 0, "m", "t").ok());
  Approved(DistributionKind::kPayout, *coop_id, 50000);
  if (HasFatalFailure()) return;
  std::vector<Status> s = AtOnce({{"d1", "H1", D("2021-05-01"), "", "", ""},
                                  {"d1", "H2", D("2021-05-01"), "", "", ""}});
  EXPECT_EQ(s[0].ok() + s[1].ok(), 1)
      << s[0].ToString() << " / " << s[1].ToString();
  for (const Status& x : s) {
    if (!x.ok()) {
      EXPECT_EQ(x.code(), StatusCode::kFailedPrecondition) << x.ToString();
    }
  }
  EXPECT_EQ(*repo.Balance(Book::kFund, *coop_id, D("2030-01-01")), 20000);
}

INSTANTIATE_TEST_SUITE_P(Engines, CoopConcurrencyTest,
                         ::testing::ValuesIn(backends::testing::TestEngines()),
                         backends::testing::EngineName);

}  // namespace
}  // namespace malchin::conformance
