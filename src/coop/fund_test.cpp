// The contingency fund: balances at every date, statements, in-kind
// valuation, idempotency, reversals, the never-negative rule, insurance
// paid from the fund and an event's position.
#include "coop/fund.h"

#include <map>
#include <thread>

#include "coop/feed.h"
#include "coop/test_fixture.h"
#include "core/random.h"
#include "insurance/ledger_service.h"
#include "response/repository.h"

namespace malchin::coop {
namespace {

using testing::CoopTest;
using testing::D;

class FundTest : public CoopTest {
 protected:
  // Prepared by `national`, approved and paid by `checker`.
  Result<InsurancePaid> PayFromFundWithTwoPeople(const InsuranceFromFund& r) {
    MALCHIN_ASSIGN_OR_RETURN(InsurancePrepared p,
                             PrepareInsurance(session(), ctx_, national_, r));
    return ApproveInsurance(session(), ctx_, checker_, r.coop_code,
                            p.payment.id);
  }
  void SetUp() override {
    CoopTest::SetUp();
    if (HasFatalFailure()) return;
    MakeCoop("c1", {0, 1, 2});
  }
  Result<Recorded> Cash(size_t person, const char* on, int64_t amount,
                        std::string key = "") {
    ContributionRequest r;
    r.coop_code = "c1";
    r.register_no = rn(person);
    r.on = D(on);
    r.method = Method::kCash;
    r.amount = amount;
    r.client_key = std::move(key);
    return Contribute(session(), ctx_, national_, r);
  }
};

TEST_F(FundTest, LedgerBalancesAtEveryDate) {
  // A random history: contributions, sales, reversals, recorded in any
  // order of dates; then every date's balance, every statement and every
  // member's statement agree with an independent sum of what was recorded.
  Xoshiro256 rng(21);
  const Date first = D("2019-01-01");
  std::vector<std::pair<Date, int64_t>> kept;  // (date, amount) recorded.
  std::map<std::string, int64_t> by_member;
  std::vector<LedgerEntry> reversible;
  for (int i = 0; i < 60; ++i) {
    const Date on = first.AddDays(static_cast<int>(rng.UniformBelow(900)));
    const uint64_t what = rng.UniformBelow(10);
    Result<Recorded> r = Status::Internal("none");
    if (what < 6) {
      r = Cash(rng.UniformBelow(3), on.ToString().c_str(),
               1000 * static_cast<int64_t>(1 + rng.UniformBelow(50)));
    } else if (what < 8) {
      r = RecordSales(session(), national_, "c1", on,
                      10000 * static_cast<int64_t>(1 + rng.UniformBelow(9)),
                      "wool", "");
    } else if (!reversible.empty()) {
      const LedgerEntry& t = reversible[rng.UniformBelow(reversible.size())];
      r = ReverseFundEntry(session(), national_, "c1", t.id,
                           t.on.AddDays(static_cast<int>(rng.UniformBelow(30))),
                           "typing mistake", "");
    }
    if (!r.ok()) continue;  // A repeated reversal, or one the fund refuses.
    kept.emplace_back(r->entry.on, r->entry.amount);
    by_member[r->entry.register_no] += r->entry.amount;
    if (r->entry.kind != EntryKind::kReversal) reversible.push_back(r->entry);
  }
  ASSERT_GT(kept.size(), 40u);
  for (Date d = first.AddDays(-1); d <= first.AddDays(960); d = d.AddDays(7)) {
    int64_t expected = 0;
    for (const auto& [on, amount] : kept) expected += on <= d ? amount : 0;
    auto balance = FundBalance(session(), "c1", d);
    ASSERT_TRUE(balance.ok());
    ASSERT_EQ(*balance, expected) << d.ToString();
    ASSERT_GE(*balance, 0) << d.ToString();
    // The next week's statement opens with that balance.
    auto st = FundStatement(session(), "c1", d.AddDays(1), d.AddDays(7));
    ASSERT_TRUE(st.ok());
    ASSERT_EQ(st->opening, expected) << d.ToString();
    ASSERT_EQ(st->closing, st->opening + st->inflows + st->outflows);
    auto end = FundBalance(session(), "c1", d.AddDays(7));
    ASSERT_EQ(st->closing, *end);
    if (!st->running.empty()) {
      ASSERT_EQ(st->running.back(), st->closing);
    }
  }
  // Members' statements and the sales (no member) add up to the fund.
  int64_t total = 0;
  for (const auto& [member, amount] : by_member) {
    auto st = FundStatement(session(), "c1", first, D("2030-01-01"), member);
    ASSERT_TRUE(st.ok());
    if (!member.empty()) {
      EXPECT_EQ(st->closing, amount) << member;
    }
    total += amount;
  }
  EXPECT_EQ(*FundBalance(session(), "c1", D("2030-01-01")), total);
}

TEST_F(FundTest, InKindAtThePriceTableOrAtAStatedValue) {
  ContributionRequest r;
  r.coop_code = "c1";
  r.register_no = rn(0);
  r.on = D("2024-10-01");
  r.method = Method::kInKind;
  r.item = "sheep";
  r.quantity = 2;
  auto sheep = Contribute(session(), ctx_, national_, r);
  ASSERT_TRUE(sheep.ok()) << sheep.status().ToString();
  EXPECT_EQ(sheep->entry.amount, 360000);  // 2 x 180,000 from 2024-01-01.
  ASSERT_TRUE(sheep->entry.in_kind);
  EXPECT_EQ(sheep->entry.in_kind->unit_price, 180000);
  EXPECT_EQ(sheep->entry.in_kind->price_from, D("2024-01-01"));
  EXPECT_NE(sheep->entry.in_kind->price_source.find("prices.csv"),
            std::string::npos);
  r.on = D("2020-10-01");
  r.item = "cashmere";
  r.quantity = 0.5;
  EXPECT_EQ(Contribute(session(), ctx_, national_, r)->entry.amount, 50000);
  // Something the table does not price: only with a stated value.
  r.item = "felt boots";
  r.quantity = 1;
  EXPECT_EQ(Contribute(session(), ctx_, national_, r).status().code(),
            StatusCode::kNotFound);
  r.amount = 45000;
  auto stated = Contribute(session(), ctx_, national_, r);
  ASSERT_TRUE(stated.ok()) << stated.status().ToString();
  EXPECT_EQ(stated->entry.in_kind->price_source, "stated");
  // Half a sheep is not a contribution; cash needs an amount.
  r.amount.reset();
  r.item = "sheep";
  r.quantity = 0.5;
  EXPECT_EQ(Contribute(session(), ctx_, national_, r).status().field(),
            "quantity");
  r.method = Method::kCash;
  r.item.clear();
  EXPECT_EQ(Contribute(session(), ctx_, national_, r).status().field(),
            "amount");
}

TEST_F(FundTest, OnlyMembersContributeAndRetriesAreRecordedOnce) {
  // H4's head is no member; H5's head is none before joining.
  EXPECT_EQ(Cash(4, "2020-01-01", 1000).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Cash(0, "2015-12-31", 1000).status().code(),
            StatusCode::kFailedPrecondition);
  auto first = Cash(0, "2020-01-01", 20000, "k-1");
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->replayed);
  auto retry = Cash(0, "2020-01-01", 20000, "k-1");
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->entry.id, first->entry.id);
  EXPECT_EQ(Cash(0, "2020-01-01", 25000, "k-1").status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(*FundBalance(session(), "c1", D("2020-12-31")), 20000);
}

TEST_F(FundTest, MoneyNeverLeavesWhatTheFundDoesNotHold) {
  auto a = Cash(0, "2020-01-01", 100000);
  ASSERT_TRUE(a.ok());
  // Health insurance of two members paid from the fund on 2020-02-01.
  InsuranceFromFund pay;
  pay.coop_code = "c1";
  pay.on = D("2020-02-01");
  for (size_t m : {0, 1}) {
    insurance::MemberRequest x;
    x.register_no = rn(m);
    x.scheme = insurance::InsuranceScheme::kHealth;
    x.first_month = 2020 * 12;
    x.months = 6;
    pay.members.push_back(x);
  }
  pay.client_key = "pay-1";
  auto paid = PayFromFundWithTwoPeople(pay);
  ASSERT_TRUE(paid.ok()) << paid.status().ToString();
  ASSERT_EQ(paid->entries.size(), 2u);
  EXPECT_GT(paid->amount, 0);
  EXPECT_EQ(paid->amount, paid->remittance.allocated);
  // The insurance ledger has the members' months, paid by the cooperative.
  auto st = insurance::StatementFor(session().Get<insurance::Repository>(),
                                    *ctx_.parameters, {}, rn(0),
                                    insurance::InsuranceScheme::kHealth);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->covered_months, 6);
  // A retry pays nothing twice.
  auto again = PayFromFundWithTwoPeople(pay);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->amount, paid->amount);
  const int64_t left = 100000 - paid->amount;
  EXPECT_EQ(*FundBalance(session(), "c1", D("2020-12-31")), left);
  // Reversing the 100,000 on 2020-02-15 would leave the fund below zero
  // from then on, whatever comes later.
  ASSERT_TRUE(
      RecordSales(session(), national_, "c1", D("2020-06-01"), 500000, "", "")
          .ok());
  auto rev = ReverseFundEntry(session(), national_, "c1", a->entry.id,
                              D("2020-02-15"), "entered twice", "");
  EXPECT_EQ(rev.status().code(), StatusCode::kFailedPrecondition)
      << rev.status().ToString();
  // After the sales it can be reversed; once.
  rev = ReverseFundEntry(session(), national_, "c1", a->entry.id,
                         D("2020-06-02"), "entered twice", "");
  ASSERT_TRUE(rev.ok()) << rev.status().ToString();
  EXPECT_EQ(ReverseFundEntry(session(), national_, "c1", a->entry.id,
                             D("2020-06-03"), "again", "")
                .status()
                .code(),
            StatusCode::kAlreadyExists);
  // An insurance payment is corrected in insurance, not here.
  EXPECT_EQ(ReverseFundEntry(session(), national_, "c1", paid->entries[0].id,
                             D("2020-06-03"), "x", "")
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
}

// Insurance from the fund needs two people: one prepares (nothing is paid),
// another approves and pays; the preparer cannot approve; paid once.
TEST_F(FundTest, InsuranceFromTheFundIsPreparedAndApprovedByTwo) {
  ASSERT_TRUE(Cash(0, "2020-01-01", 100000).ok());
  InsuranceFromFund pay;
  pay.coop_code = "c1";
  pay.on = D("2020-02-01");
  insurance::MemberRequest x;
  x.register_no = rn(0);
  x.first_month = 2020 * 12;
  x.months = 3;
  pay.members.push_back(x);
  pay.client_key = "ins-1";
  auto p = PrepareInsurance(session(), ctx_, national_, pay);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_FALSE(p->replayed);
  EXPECT_FALSE(p->payment.paid());
  EXPECT_GT(p->payment.amount, 0);
  EXPECT_EQ(p->payment.prepared_by, "national");
  EXPECT_EQ(*FundBalance(session(), "c1", D("2020-12-31")), 100000);
  // The same key again: the same request.
  auto retry = PrepareInsurance(session(), ctx_, national_, pay);
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->payment.id, p->payment.id);
  const int64_t id = p->payment.id;
  EXPECT_EQ(
      ApproveInsurance(session(), ctx_, national_, "c1", id).status().code(),
      StatusCode::kPermissionDenied);
  EXPECT_EQ(ApproveInsurance(session(), ctx_, checker_, "c1", id + 100)
                .status()
                .code(),
            StatusCode::kNotFound);
  auto paid = ApproveInsurance(session(), ctx_, checker_, "c1", id);
  ASSERT_TRUE(paid.ok()) << paid.status().ToString();
  EXPECT_FALSE(paid->replayed);
  EXPECT_EQ(paid->amount, p->payment.amount);
  ASSERT_EQ(paid->entries.size(), 1u);
  EXPECT_EQ(paid->entries[0].kind, EntryKind::kInsurance);
  EXPECT_EQ(*FundBalance(session(), "c1", D("2020-12-31")),
            100000 - paid->amount);
  // Approved again (by anyone): what it paid, nothing more.
  auto twice = ApproveInsurance(session(), ctx_, zavkhan_, "c1", id);
  ASSERT_TRUE(twice.ok()) << twice.status().ToString();
  EXPECT_TRUE(twice->replayed);
  EXPECT_EQ(twice->amount, paid->amount);
  EXPECT_EQ(*FundBalance(session(), "c1", D("2020-12-31")),
            100000 - paid->amount);
  auto list = InsurancePayments(session(), "c1");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].approved_by, "checker");
  EXPECT_EQ((*list)[0].remittance_id, paid->remittance.remittance_id);
  // More than the fund holds is not even prepared.
  pay.client_key = "ins-2";
  pay.members[0].months = 120;
  EXPECT_EQ(PrepareInsurance(session(), ctx_, national_, pay).status().code(),
            StatusCode::kFailedPrecondition);
}

// Two approvals of the same request at once pay it once.
TEST_F(FundTest, TwoApprovalsAtOncePayOnce) {
  ASSERT_TRUE(Cash(0, "2020-01-01", 100000).ok());
  InsuranceFromFund pay;
  pay.coop_code = "c1";
  pay.on = D("2020-02-01");
  insurance::MemberRequest x;
  x.register_no = rn(1);
  x.first_month = 2020 * 12;
  x.months = 2;
  pay.members.push_back(x);
  auto p = PrepareInsurance(session(), ctx_, national_, pay);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto other = NewSession();
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  (*other)->SetClock(&clock_);
  Result<InsurancePaid> a = Status::Internal(""), b = Status::Internal("");
  std::thread t1([&] {
    a = ApproveInsurance(session(), ctx_, checker_, "c1", p->payment.id);
  });
  std::thread t2([&] {
    b = ApproveInsurance(**other, ctx_, zavkhan_, "c1", p->payment.id);
  });
  t1.join();
  t2.join();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_NE(a->replayed, b->replayed);
  EXPECT_EQ(*FundBalance(session(), "c1", D("2020-12-31")),
            100000 - p->payment.amount);
}

TEST_F(FundTest, WhatTheSoumsOfAnEventHold) {
  ASSERT_TRUE(Cash(0, "2020-01-01", 70000).ok());
  Warehouse w;
  w.code = "w1";
  w.name = "Tosontsengel reserve";
  w.soum_code = 18140;
  w.coop_code = "c1";
  ASSERT_TRUE(RegisterWarehouse(session(), ctx_, national_, w).ok());
  ASSERT_TRUE(RecordMovement(session(), national_,
                             {"w1", D("2019-10-01"), FeedType::kHay,
                              MovementKind::kReceived, 30000, "purchase", ""})
                  .ok());
  response::ShockEventRecord e;
  e.code = "dzud-2020";
  e.type = "dzud";
  e.name = "Zavkhan dzud";
  e.declared_on = e.starts_on = D("2019-12-01");
  e.created_by = "national";
  auto& events = session().Get<response::Repository>();
  auto id = events.InsertEvent(e, "2019-12-01T00:00:00Z");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(events
                  .UpsertEventSoums(*id, {{18140, response::Severity::kHigh},
                                          {18125, response::Severity::kMedium}})
                  .ok());
  auto pos = EventPositionOf(session(), "dzud-2020", D("2020-03-01"));
  ASSERT_TRUE(pos.ok()) << pos.status().ToString();
  ASSERT_EQ(pos->cooperatives.size(), 1u);
  EXPECT_EQ(pos->cooperatives[0].severity, "high");
  EXPECT_EQ(pos->fund_total, 70000);
  EXPECT_EQ(pos->members, 3);
  EXPECT_EQ(pos->hay_kg, 30000);
  EXPECT_EQ(EventPositionOf(session(), "nope", D("2020-03-01")).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace malchin::coop
