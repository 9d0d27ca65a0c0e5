#include "insurance/ledger_service.h"

#include <gtest/gtest.h>

#include "backends/testing/test_database.h"
#include "insurance/schemes.h"
#include "registry/repository.h"

namespace malchin::insurance {
namespace {

Date D(const char* s) { return *Date::Parse(s); }
const params::ParameterSet& P() { return **params::ParameterSet::Embedded(); }

constexpr const char* kA = "ИЗ85120320";  // Soum 18140 (Zavkhan).
constexpr const char* kB = "ИЗ90031541";  // Soum 18140.
constexpr const char* kC = "ИБ70010152";  // Soum 18125.

class LedgerServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = backends::testing::OpenTestStore();
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    test_ = std::move(*t);
    std::vector<registry::Household> hh(2);
    hh[0].id = "H1";
    hh[0].soum_code = hh[0].current_soum_code = 18140;
    hh[0].herder = true;
    hh[0].cooperative = "Altan Khuder";
    hh[1].id = "H2";
    hh[1].soum_code = hh[1].current_soum_code = 18125;
    hh[1].herder = true;
    auto person = [](const char* rn, const char* hh, registry::Sex sex,
                     const char* birth) {
      registry::Person p;
      p.register_no = rn;
      p.household_id = hh;
      p.father_name = "Бат";
      p.given_name = "Сүх";
      p.sex = sex;
      p.birth_date = *Date::Parse(birth);
      p.herder = true;
      return p;
    };
    auto w = test_.session->Get<registry::Repository>().Upsert(
        hh,
        {person(kA, "H1", registry::Sex::kFemale, "1985-12-03"),
         person(kB, "H1", registry::Sex::kMale, "1990-03-15"),
         person(kC, "H2", registry::Sex::kMale, "1970-01-01")},
        {"test", ""});
    ASSERT_TRUE(w.ok()) << w.status().message();
    ins_ = &test_.session->Get<insurance::Repository>();
  }
  PaymentRequest Health(const char* rn, int year, int month, int months) {
    PaymentRequest r;
    r.register_no = rn;
    r.scheme = InsuranceScheme::kHealth;
    r.first_month = MakeMonth(year, month);
    r.months = months;
    r.paid_on = D("2025-03-10");
    return r;
  }

  backends::testing::TestStore test_;
  insurance::Repository* ins_ = nullptr;
};

TEST_F(LedgerServiceTest, PayWhatIsDueThenCorrectByReversal) {
  auto r = RecordPayment(*ins_, P(), {}, Health(kA, 2025, 3, 2), {"t", ""});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->entry.amount, 6600 + 7920);
  EXPECT_EQ(r->statement.covered_months, 2);
  EXPECT_EQ(ins_->Coverage({}, kA, InsuranceScheme::kHealth)->size(), 1u);
  // Paid twice.
  auto twice = RecordPayment(*ins_, P(), {}, Health(kA, 2025, 4, 1), {});
  EXPECT_EQ(twice->statement.paid_twice_months, 1);
  // The second payment is reversed: back to paid once.
  auto rev = ReverseEntry(*ins_, P(), {}, twice->entry_id, D("2025-03-11"),
                          "entered twice", {"t", ""});
  ASSERT_TRUE(rev.ok()) << rev.status().message();
  EXPECT_EQ(rev->entry.amount, -7920);
  EXPECT_EQ(rev->statement.paid_twice_months, 0);
  EXPECT_EQ(rev->statement.covered_months, 2);
  EXPECT_EQ(ReverseEntry(*ins_, P(), {}, twice->entry_id, D("2025-03-11"),
                         "again", {})
                .status()
                .code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(
      ReverseEntry(*ins_, P(), {}, rev->entry_id, D("2025-03-11"), "x", {})
          .status()
          .code(),
      StatusCode::kFailedPrecondition);
  // Reversing the first one removes the coverage.
  rev =
      ReverseEntry(*ins_, P(), {}, r->entry_id, D("2025-03-12"), "bounced", {});
  EXPECT_EQ(rev->statement.covered_months, 0);
  EXPECT_TRUE(ins_->Coverage({}, kA, InsuranceScheme::kHealth)->empty());
  EXPECT_EQ(ins_->Entries({}, kA)->size(), 4u);  // Nothing was removed.
}

TEST_F(LedgerServiceTest, PartialInKindAndScoped) {
  PaymentRequest partial = Health(kA, 2025, 1, 3);
  partial.amount = 10000;
  auto r = RecordPayment(*ins_, P(), {}, partial, {});
  EXPECT_EQ(r->statement.covered_months, 1);
  EXPECT_EQ(r->statement.partial_months, 2);
  // One sheep for a year of social insurance, valued at the 2024 price.
  PaymentRequest kind;
  kind.register_no = kB;
  kind.scheme = InsuranceScheme::kSocial;
  kind.first_month = MakeMonth(2024, 1);
  kind.months = 2;
  kind.paid_on = D("2024-02-01");
  kind.method = PaymentMethod::kInKind;
  kind.in_kind_item = "sheep";
  kind.in_kind_quantity = 1;
  auto k = RecordPayment(*ins_, P(), {}, kind, {});
  ASSERT_TRUE(k.ok()) << k.status().message();
  // The sheep is worth more than the two months due: the entry records the
  // due and the surplus is kept as the payer's credit on a remittance row,
  // as a cooperative's surplus is (issue #15), not as an overpayment.
  ASSERT_TRUE(k->entry.in_kind.has_value());
  EXPECT_EQ(k->entry.in_kind->unit_price, 180000);
  EXPECT_EQ(k->entry.due, 2 * 82500);
  EXPECT_EQ(k->entry.amount, 2 * 82500);
  EXPECT_EQ(k->credit, 180000 - 2 * 82500);
  EXPECT_GT(k->remittance_id, 0);
  EXPECT_EQ(k->statement.overpaid, 0);
  EXPECT_EQ(k->statement.covered_months, 2);
  auto stored = ins_->FindEntry({}, k->entry_id);
  EXPECT_EQ((*stored)->in_kind, k->entry.in_kind);
  // Bad requests name the field.
  PaymentRequest bad = Health(kA, 2025, 1, 0);
  EXPECT_EQ(RecordPayment(*ins_, P(), {}, bad, {}).status().field(), "months");
  bad = Health(kA, 2025, 1, 1);
  bad.method = PaymentMethod::kInKind;
  EXPECT_EQ(RecordPayment(*ins_, P(), {}, bad, {}).status().field(), "item");
  // A soum officer of 18140 cannot record for someone in 18125.
  store::AreaFilter soum{0, 18140};
  EXPECT_EQ(RecordPayment(*ins_, P(), soum, Health(kC, 2025, 1, 1), {})
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST_F(LedgerServiceTest, CooperativeRemittanceAllocatedAndReconciled) {
  RemittanceRequest r;
  r.cooperative = "Altan Khuder";
  r.paid_on = D("2025-06-01");
  r.amount = 100000;
  MemberRequest a{kA, InsuranceScheme::kHealth, MakeMonth(2025, 4), 6, 0, {}};
  MemberRequest b{kB, InsuranceScheme::kSocial, MakeMonth(2025, 4), 1, 0, {}};
  MemberRequest c{kC, InsuranceScheme::kHealth, MakeMonth(2025, 4), 6, 0, {}};
  r.members = {a, b, c};
  // Pure allocation: A gets 6 x 7,920 = 47,520; B's 99,000 is only partly
  // paid with what is left; C gets nothing.
  auto alloc = AllocateRemittance(P(), r);
  ASSERT_TRUE(alloc.ok()) << alloc.status().message();
  EXPECT_EQ(alloc->members[0].allocated, 47520);
  EXPECT_EQ(alloc->members[1].allocated, 100000 - 47520);
  EXPECT_EQ(alloc->members[1].shortfall, 99000 - (100000 - 47520));
  EXPECT_EQ(alloc->members[2].allocated, 0);
  EXPECT_EQ(alloc->members[2].shortfall, 47520);
  EXPECT_EQ(alloc->unallocated, 0);
  auto rec = RecordRemittance(*ins_, P(), {}, r, {"t", ""});
  ASSERT_TRUE(rec.ok()) << rec.status().message();
  EXPECT_NE(rec->members[0].entry_id, 0);
  EXPECT_EQ(rec->members[2].entry_id, 0);
  auto st = StatementFor(*ins_, P(), {}, kA, InsuranceScheme::kHealth);
  EXPECT_EQ(st->covered_months, 6);
  auto eb = ins_->FindEntry({}, rec->members[1].entry_id);
  EXPECT_EQ((*eb)->method, PaymentMethod::kCooperative);
  EXPECT_EQ((*eb)->payer, "Altan Khuder");
  EXPECT_NE((*eb)->remittance_id, 0);

  // More than due: the rest stays on the remittance as the coop's credit;
  // explicit shares are respected.
  r.amount = 200000;
  r.members = {a, b};
  r.members[1].amount = 120000;
  alloc = AllocateRemittance(P(), r);
  EXPECT_EQ(alloc->members[1].allocated, 120000);
  EXPECT_EQ(alloc->members[1].excess, 21000);
  EXPECT_EQ(alloc->members[0].allocated, 47520);
  EXPECT_EQ(alloc->unallocated, 200000 - 120000 - 47520);
  r.members[1].amount = 250000;
  EXPECT_EQ(AllocateRemittance(P(), r).status().field(), "amount");
  // A member outside the officer's soum: nothing is written.
  r.members = {a, c};
  r.amount = 50000;
  auto before = ins_->CountEntries({});
  EXPECT_FALSE(RecordRemittance(*ins_, P(), {0, 18140}, r, {}).ok());
  EXPECT_EQ(*ins_->CountEntries({}), *before);
}

}  // namespace
}  // namespace malchin::insurance
